//! Movies built box by box: items read, removed, renumbered.
use super::*;

fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    boxed(kind, body)
}

fn data(text: &str) -> Vec<u8> {
    let mut body = vec![0, 0, 0, 1, 0, 0, 0, 0];
    body.extend_from_slice(text.as_bytes());
    bx(b"data", &body)
}

fn mdta_moov(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut hdlr = vec![0u8; 8];
    hdlr.extend_from_slice(b"mdta");
    hdlr.extend_from_slice(&[0u8; 13]);
    let mut keys = vec![0, 0, 0, 0];
    keys.extend_from_slice(&(pairs.len() as u32).to_be_bytes());
    let mut ilst = Vec::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        keys.extend_from_slice(&((k.len() + 8) as u32).to_be_bytes());
        keys.extend_from_slice(b"mdta");
        keys.extend_from_slice(k.as_bytes());
        ilst.extend(bx(&(i as u32 + 1).to_be_bytes(), &data(v)));
    }
    let mut meta = vec![0, 0, 0, 0];
    meta.extend(bx(b"hdlr", &hdlr));
    meta.extend(bx(b"keys", &keys));
    meta.extend(bx(b"ilst", &ilst));
    let udta = bx(b"udta", &bx(b"meta", &meta));
    bx(b"moov", &[bx(b"mvhd", &[0; 12]), udta].concat())
}

fn read_items(moov: &[u8]) -> Vec<(String, String)> {
    let mut items = Items::default();
    items_of(moov, 0, &mut items);
    items.fields.into_iter().map(|f| (f.key, f.text)).collect()
}

#[test]
fn mdta_items_are_read_and_removed_with_their_keys() {
    let moov = mdta_moov(&[
        ("prompt", "{\"a\": 1}"),
        ("workflow", "{}"),
        ("encoder", "Lavf"),
    ]);
    let items = read_items(&moov);
    assert_eq!(items[0], ("prompt".into(), "{\"a\": 1}".into()));
    assert_eq!(items.len(), 3);
    let mut found = Items::default();
    items_of(&moov, 0, &mut found);
    let drop: Vec<Range<usize>> = found.fields[..2].iter().map(|f| f.span.clone()).collect();
    let stripped = strip(&moov, 0, &drop).unwrap();
    assert_eq!(stripped.len(), moov.len());
    assert_eq!(
        read_items(&stripped),
        vec![("encoder".into(), "Lavf".into())]
    );
    assert!(!stripped.windows(6).any(|w| w == b"prompt"));
    // One key left, its item renumbered to 1; the bytes saved are a
    // `free` box after `udta`.
    let mut left = Items::default();
    items_of(&stripped, 0, &mut left);
    let item = &stripped[left.fields[0].span.clone()];
    assert_eq!(&item[4..8], &1u32.to_be_bytes());
    let free = stripped.windows(4).position(|w| w == b"free").unwrap();
    assert!(free > left.fields[0].span.end);
}

#[test]
fn quicktime_text_atoms_are_read_and_removed() {
    let mut atom = 5u16.to_be_bytes().to_vec();
    atom.extend_from_slice(&0x55c4u16.to_be_bytes());
    atom.extend_from_slice(b"hello");
    let udta = bx(
        b"udta",
        &[bx(b"\xa9cmt", &atom), bx(b"\xa9swr", &atom)].concat(),
    );
    let moov = bx(b"moov", &udta);
    let items = read_items(&moov);
    assert_eq!(items[0], ("comment".into(), "hello".into()));
    let comment = 100 + 16..100 + 16 + 17;
    let stripped = strip(&moov, 100, std::slice::from_ref(&comment)).unwrap();
    assert_eq!(
        read_items(&stripped),
        vec![("encoder".into(), "hello".into())]
    );
    assert_eq!(
        &stripped[stripped.len() - 17 + 4..stripped.len() - 17 + 8],
        b"free"
    );
}

#[test]
fn malformed_and_deep_boxes_are_read_quietly() {
    let mut moov = mdta_moov(&[("prompt", "x")]);
    let n = moov.len();
    moov[n - 20..n - 16].copy_from_slice(&u32::MAX.to_be_bytes());
    let _ = read_items(&moov);
    let mut deep = bx(b"udta", &[]);
    for _ in 0..10_000 {
        deep = bx(b"udta", &deep);
    }
    assert!(read_items(&bx(b"moov", &deep)).is_empty());
}
