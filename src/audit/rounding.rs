//! The arithmetic reports show: shares that are 0 for nothing, figures
//! rounded as printed.

/// `a / b`, or 0 when there is nothing to divide by.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// `x` rounded to `places` decimals, as reports show it (never `-0`: an
/// empty float sum is negative zero).
pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f + 0.0
}

/// A weight as written: `40`, or `0.5`.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_negative_zero() {
        let empty: f64 = std::iter::empty::<f64>().sum();
        assert!(round(ratio(empty, 4.0), 4).is_sign_positive());
        assert_eq!(round(0.123_456, 4), 0.1235);
    }
}
