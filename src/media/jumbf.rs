//! Bounds on an embedded manifest store before the C2PA SDK decodes it.
//!
//! The SDK's CBOR decoder (c2pa_cbor 0.77) allocates and zero-fills
//! whatever length a byte string declares: fuzzing found a 20 KB PNG whose
//! assertion declares ~2 GB, which cost `credits verify` (and c2patool)
//! 2.4 GiB of memory. Here every JUMBF box must fit in its parent and every
//! CBOR item in its box — a declared length longer than the bytes that are
//! there is refused before anything is allocated for it.

/// Nesting deeper than this is not a manifest store.
const MAX_DEPTH: u32 = 64;

/// Check the JUMBF boxes of a manifest store and the CBOR inside them.
pub fn check_store(jumbf: &[u8]) -> Result<(), String> {
    boxes(jumbf, 0)
}

fn boxes(mut data: &[u8], depth: u32) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("JUMBF boxes nest too deeply".into());
    }
    while !data.is_empty() {
        let (kind, payload, rest) = split_box(data)?;
        match &kind {
            b"jumb" => boxes(payload, depth + 1)?,
            b"cbor" => cbor_items(payload)?,
            _ => {}
        }
        data = rest;
    }
    Ok(())
}

/// Length of the JUMBF box at the start of `data` as it declares it (LBox,
/// or XLBox); `None` for "to the end" (0) or too few bytes.
pub fn declared_len(data: &[u8]) -> Option<u64> {
    let small = u32::from_be_bytes(data.get(..4)?.try_into().ok()?);
    match small {
        1 => Some(u64::from_be_bytes(data.get(8..16)?.try_into().ok()?)),
        0 => None,
        n => Some(u64::from(n)),
    }
}

/// A box's type, its payload, and the bytes after it.
type Split<'a> = ([u8; 4], &'a [u8], &'a [u8]);

/// The first box of `data`.
fn split_box(data: &[u8]) -> Result<Split<'_>, String> {
    if data.len() < 8 {
        return Err("truncated JUMBF box header".into());
    }
    let small = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as u64;
    let kind = [data[4], data[5], data[6], data[7]];
    let (size, header) = match small {
        0 => (data.len() as u64, 8),
        1 => {
            let large = data
                .get(8..16)
                .ok_or("truncated JUMBF box header")?
                .try_into()
                .map_err(|_| "truncated JUMBF box header")?;
            (u64::from_be_bytes(large), 16)
        }
        s => (s, 8),
    };
    if size < header || size > data.len() as u64 {
        return Err(format!(
            "JUMBF box '{}' declares {size} bytes; {} are there",
            String::from_utf8_lossy(&kind),
            data.len()
        ));
    }
    let (this, rest) = data.split_at(size as usize);
    Ok((kind, &this[header as usize..], rest))
}

/// Call `f(label, type, payload)` for every content box in the store, with
/// the label of the superbox holding it (`c2pa.signature`, an assertion's
/// label, …). Stops quietly at anything malformed: run [`check_store`]
/// first for errors.
pub fn visit(store: &[u8], f: &mut impl FnMut(&str, [u8; 4], &[u8])) {
    visit_in(store, "", 0, f);
}

fn visit_in(mut data: &[u8], label: &str, depth: u32, f: &mut impl FnMut(&str, [u8; 4], &[u8])) {
    while depth <= MAX_DEPTH && !data.is_empty() {
        let Ok((kind, payload, rest)) = split_box(data) else {
            return;
        };
        match &kind {
            b"jumb" => {
                let Some((label, contents)) = superbox(payload) else {
                    return;
                };
                visit_in(contents, &label, depth + 1, f);
            }
            b"jumd" => {}
            _ => f(label, kind, payload),
        }
        data = rest;
    }
}

/// One manifest's claim and claim signature, as CBOR box payloads.
#[derive(Debug, Default)]
pub struct ManifestParts<'a> {
    /// The manifest's label (`urn:c2pa:…`).
    pub label: String,
    pub claim: Option<&'a [u8]>,
    pub signature: Option<&'a [u8]>,
}

/// The manifests of a store, in store order (the active one last), with
/// their claims and signatures. Stops quietly at anything malformed.
pub fn manifests(store: &[u8]) -> Vec<ManifestParts<'_>> {
    let mut out = Vec::new();
    for (_, top) in superboxes(store) {
        for (label, contents) in superboxes(top) {
            let mut parts = ManifestParts {
                label,
                ..ManifestParts::default()
            };
            for (part, inner) in superboxes(contents) {
                let Ok((kind, payload, _)) = split_box(inner) else {
                    continue;
                };
                if &kind != b"cbor" {
                    continue;
                }
                if part.starts_with("c2pa.claim") {
                    parts.claim = Some(payload);
                } else if part == "c2pa.signature" {
                    parts.signature = Some(payload);
                }
            }
            out.push(parts);
        }
    }
    out
}

/// The CBOR payload of assertion `label` in manifest `manifest` of a
/// store, if it is there (stops quietly at anything malformed).
pub fn assertion<'a>(store: &'a [u8], manifest: &str, label: &str) -> Option<&'a [u8]> {
    let (_, top) = superboxes(store).into_iter().next()?;
    let (_, contents) = superboxes(top).into_iter().find(|(l, _)| l == manifest)?;
    let (_, assertions) = superboxes(contents)
        .into_iter()
        .find(|(part, _)| part == "c2pa.assertions")?;
    let (_, inner) = superboxes(assertions)
        .into_iter()
        .find(|(l, _)| l == label)?;
    match split_box(inner) {
        Ok((kind, payload, _)) if &kind == b"cbor" => Some(payload),
        _ => None,
    }
}

/// The CBOR assertions of manifest `manifest` whose label starts with
/// `prefix` (`c2pa.hash.data` finds `c2pa.hash.data__1` too), with their
/// payloads; stops quietly at anything malformed.
pub fn assertions_like<'a>(
    store: &'a [u8],
    manifest: &str,
    prefix: &str,
) -> Vec<(String, &'a [u8])> {
    let Some((_, top)) = superboxes(store).into_iter().next() else {
        return Vec::new();
    };
    let Some((_, contents)) = superboxes(top).into_iter().find(|(l, _)| l == manifest) else {
        return Vec::new();
    };
    let Some((_, assertions)) = superboxes(contents)
        .into_iter()
        .find(|(part, _)| part == "c2pa.assertions")
    else {
        return Vec::new();
    };
    superboxes(assertions)
        .into_iter()
        .filter(|(l, _)| l.starts_with(prefix))
        .filter_map(|(l, inner)| match split_box(inner) {
            Ok((kind, payload, _)) if &kind == b"cbor" => Some((l, payload)),
            _ => None,
        })
        .collect()
}

/// The `jumb` superboxes in `data`: label and contents (after the
/// description box).
fn superboxes(mut data: &[u8]) -> Vec<(String, &[u8])> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let Ok((kind, payload, rest)) = split_box(data) else {
            break;
        };
        if let Some(found) = (&kind == b"jumb").then(|| superbox(payload)).flatten() {
            out.push(found);
        }
        data = rest;
    }
    out
}

/// A `jumb` superbox's label and contents: its description box (`jumd`)
/// first, then the boxes it holds.
fn superbox(payload: &[u8]) -> Option<(String, &[u8])> {
    match split_box(payload) {
        Ok((kind, description, contents)) if &kind == b"jumd" => {
            Some((description_label(description), contents))
        }
        _ => None,
    }
}

/// The label of a JUMBF description box: UUID (16), toggles (1), then a
/// NUL-terminated label when toggle bit 0x02 is set.
fn description_label(d: &[u8]) -> String {
    match d.get(16) {
        Some(t) if t & 0x02 != 0 => {
            let rest = &d[17..];
            let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            String::from_utf8_lossy(&rest[..end]).into_owned()
        }
        _ => String::new(),
    }
}

/// The text-keyed byte-string entries of a COSE_Sign1's unprotected header
/// (`[protected, unprotected, payload, signature]`, optionally tagged 18).
/// Other entries are skipped; anything malformed yields what was read.
pub fn cose_unprotected(cose: &[u8]) -> Vec<(String, &[u8])> {
    let mut out = Vec::new();
    let Ok((mut major, mut arg, mut at)) = head(cose, 0) else {
        return out;
    };
    if major == 6 {
        let Ok(h) = head(cose, at) else {
            return out;
        };
        (major, arg, at) = h;
    }
    if major != 4 || arg != Some(4) {
        return out;
    }
    let Ok(at) = item(cose, at, 0) else {
        return out;
    };
    let _ = map_entries(cose, at, &mut |key, value| {
        if let (Some(key), Ok((2, Some(n), start))) = (key, head(cose, value)) {
            if let Some(bytes) = cose.get(start..start + n as usize) {
                out.push((key.to_string(), bytes));
            }
        }
    });
    out
}

/// Call `f(text key or None, offset of the value)` for each entry of the
/// definite-length CBOR map at `at`.
fn map_entries<'a>(
    data: &'a [u8],
    at: usize,
    f: &mut impl FnMut(Option<&'a str>, usize),
) -> Result<(), String> {
    let (major, arg, mut at) = head(data, at)?;
    let (5, Some(n)) = (major, arg) else {
        return Err("not a definite-length CBOR map".into());
    };
    for _ in 0..n {
        let key_end = item(data, at, 0)?;
        let key = match head(data, at)? {
            (3, Some(len), start) => data
                .get(start..start + len as usize)
                .and_then(|k| std::str::from_utf8(k).ok()),
            _ => None,
        };
        f(key, key_end);
        at = item(data, key_end, 0)?;
    }
    Ok(())
}

/// Every CBOR item in `data` fits in `data`.
fn cbor_items(data: &[u8]) -> Result<(), String> {
    let mut at = 0;
    while at < data.len() {
        at = item(data, at, 0)?;
    }
    Ok(())
}

/// Skip one CBOR item starting at `at`; the offset after it.
fn item(data: &[u8], at: usize, depth: u32) -> Result<usize, String> {
    if depth > MAX_DEPTH {
        return Err("CBOR nests too deeply".into());
    }
    let (major, arg, mut at) = head(data, at)?;
    let left = (data.len() - at) as u64;
    match (major, arg) {
        // Indefinite-length strings, arrays and maps: items until 0xff.
        (2..=5, None) => {
            let per = if major == 5 { 2 } else { 1 };
            loop {
                match data.get(at) {
                    Some(0xff) => return Ok(at + 1),
                    Some(_) => {
                        for _ in 0..per {
                            at = item(data, at, depth + 1)?;
                        }
                    }
                    None => return Err("unterminated indefinite-length CBOR item".into()),
                }
            }
        }
        (2 | 3, Some(n)) => {
            if n > left {
                return Err(format!(
                    "CBOR string declares {n} bytes; {left} are left in its box"
                ));
            }
            Ok(at + n as usize)
        }
        (4 | 5, Some(n)) => {
            let items = if major == 5 { n.saturating_mul(2) } else { n };
            // Every item takes at least one byte.
            if items > left {
                return Err(format!(
                    "CBOR {} declares {n} entries; {left} bytes are left in its box",
                    if major == 5 { "map" } else { "array" }
                ));
            }
            for _ in 0..items {
                at = item(data, at, depth + 1)?;
            }
            Ok(at)
        }
        (6, _) => item(data, at, depth + 1),
        _ => Ok(at),
    }
}

/// Major type, argument (`None` for indefinite length) and the offset after
/// the head of the item at `at`.
fn head(data: &[u8], at: usize) -> Result<(u8, Option<u64>, usize), String> {
    let first = *data.get(at).ok_or("truncated CBOR item")?;
    let (major, info) = (first >> 5, first & 0x1f);
    let width = match info {
        0..=23 => return Ok((major, Some(u64::from(info)), at + 1)),
        24 => 1,
        25 => 2,
        26 => 4,
        27 => 8,
        31 if (2..=5).contains(&major) => return Ok((major, None, at + 1)),
        31 if major == 7 => return Ok((major, Some(0), at + 1)), // break
        _ => return Err(format!("invalid CBOR head 0x{first:02x}")),
    };
    let bytes = data
        .get(at + 1..at + 1 + width)
        .ok_or("truncated CBOR item")?;
    let arg = bytes.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b));
    // Simple values and floats (major 7) carry no length.
    Ok((
        major,
        Some(if major == 7 { 0 } else { arg }),
        at + 1 + width,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jumbf(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn well_formed_cbor_passes() {
        // {"a": [1, h'0102', "xy"]}
        let cbor = [0xa1, 0x61, b'a', 0x83, 0x01, 0x42, 1, 2, 0x62, b'x', b'y'];
        let store = jumbf(b"jumb", &jumbf(b"cbor", &cbor));
        assert_eq!(check_store(&store), Ok(()));
    }

    #[test]
    fn a_string_longer_than_its_box_is_refused() {
        // A byte string declaring 2^31 bytes, followed by three.
        let cbor = [0x5a, 0x80, 0, 0, 0, 1, 2, 3];
        let e = check_store(&jumbf(b"jumb", &jumbf(b"cbor", &cbor))).unwrap_err();
        assert!(e.contains("declares 2147483648 bytes"), "{e}");
    }

    #[test]
    fn an_array_with_more_entries_than_bytes_is_refused() {
        let cbor = [0x9a, 0x10, 0, 0, 0, 1];
        assert!(check_store(&jumbf(b"cbor", &cbor)).is_err());
    }

    #[test]
    fn a_box_longer_than_its_parent_is_refused() {
        let mut store = jumbf(b"jumb", &[0; 16]);
        store[3] = 200;
        assert!(check_store(&store).is_err());
    }
}
