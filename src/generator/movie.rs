//! Generator text in an MP4/MOV `moov`: the three layouts libavformat
//! writes (and so PyAV, ComfyUI's `SaveVideo` and VideoHelperSuite):
//!
//! - `moov/udta/meta` with handler `mdta` (`-movflags use_metadata_tags`):
//!   a `keys` box naming each key (`prompt`, `workflow`), and `ilst`
//!   items whose box type is the key's 1-based index, each holding a
//!   `data` box with the value;
//! - `moov/udta/meta` with handler `mdir` (iTunes style, MP4): `ilst`
//!   items typed by four-character code (`©cmt`, `©too`…), each with a
//!   `data` box;
//! - QuickTime `moov/udta` text atoms (MOV): `©cmt`, `©des`… holding
//!   (length, language, text) records.
//!
//! Items are found with the bytes they occupy in the file, and [`strip`]
//! rewrites `moov` without chosen ones at the same length: the `udta` (or
//! `meta`) holding them is rebuilt — item gone, `keys` entries dropped and
//! the remaining items renumbered — and a `free` box of the bytes saved
//! follows it, so no chunk offset moves.

use std::fs::File;
use std::ops::Range;

use super::container::TextField;
use crate::media::bmff;

/// A `moov` larger than this is not read for metadata (the splice does
/// not take it either).
pub const MOOV_LIMIT: u64 = 64 << 20;

/// A value larger than this is not decoded (a ComfyUI workflow is tens of
/// KB); its item is reported unread.
const MAX_VALUE: usize = 16 << 20;

/// What a `moov` holds: every text item, and what could not be read.
#[derive(Debug, Default)]
pub struct Items {
    pub fields: Vec<TextField>,
    pub unread: Vec<String>,
}

/// The text items of the movie in `file`.
pub fn read(file: &File) -> Items {
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return Items::default();
    };
    each_moov(&mut &*file, len, |at, bytes| {
        crate::media::read_exact_at(file, bytes, at).is_ok()
    })
}

/// The text items of the movie held whole in `bytes`.
pub fn read_bytes(bytes: &[u8]) -> Items {
    each_moov(
        &mut std::io::Cursor::new(bytes),
        bytes.len() as u64,
        |at, out| {
            let at = at as usize;
            match bytes.get(at..at + out.len()) {
                Some(b) => {
                    out.copy_from_slice(b);
                    true
                }
                None => false,
            }
        },
    )
}

/// The items of every `moov` among the top-level boxes of `r` (`len`
/// bytes), each read by `fill` (offset, buffer) when not over the limit.
fn each_moov<R: std::io::Read + std::io::Seek>(
    r: &mut R,
    len: u64,
    mut fill: impl FnMut(u64, &mut [u8]) -> bool,
) -> Items {
    let mut items = Items::default();
    let Ok(boxes) = bmff::top_level(r, len) else {
        return items;
    };
    for moov in boxes.iter().filter(|b| &b.kind == b"moov") {
        if moov.size > MOOV_LIMIT {
            items.unread.push(format!(
                "'moov' is {} MB; metadata is read from one of at most {} MB",
                moov.size >> 20,
                MOOV_LIMIT >> 20
            ));
            continue;
        }
        let mut bytes = vec![0u8; moov.size as usize];
        if !fill(moov.offset, &mut bytes) {
            items.unread.push("'moov' could not be read".into());
            continue;
        }
        items_of(&bytes, moov.offset as usize, &mut items);
    }
    items
}

/// The text items in `moov` (its bytes, found at file offset `base`).
pub fn items_of(moov: &[u8], base: usize, out: &mut Items) {
    for child in children(moov, 0) {
        match &child.kind {
            b"udta" => {
                for c in children(moov, child.at) {
                    match &c.kind {
                        b"meta" => meta_items(moov, &c, base, out),
                        k if k[0] == 0xa9 => quicktime_text(moov, &c, base, out),
                        _ => {}
                    }
                }
            }
            b"meta" => meta_items(moov, &child, base, out),
            _ => {}
        }
    }
}

/// One box inside a buffer: its type, where it starts, its body and end.
#[derive(Debug, Clone)]
struct Child {
    kind: [u8; 4],
    at: usize,
    /// Where its children (or body) start.
    start: usize,
    end: usize,
}

/// The boxes inside the box at `at` (from its body), stopping quietly at
/// anything malformed; a `meta` body skips its version and flags when it
/// has them (ISO), not when a `hdlr` follows at once (QuickTime).
fn children(buf: &[u8], at: usize) -> Vec<Child> {
    let Some(parent) = one(buf, at, buf.len()) else {
        return Vec::new();
    };
    let mut body = parent.start;
    if &parent.kind == b"meta" && buf.get(body + 4..body + 8) != Some(b"hdlr") {
        body += 4;
    }
    if &parent.kind == b"keys" {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut p = body;
    while let Some(c) = one(buf, p, parent.end) {
        p = c.end;
        out.push(c);
    }
    out
}

/// The box at `at` if it fits before `end`.
fn one(buf: &[u8], at: usize, end: usize) -> Option<Child> {
    let head = buf.get(at..at + 8)?;
    let small = u32::from_be_bytes(head[..4].try_into().ok()?) as usize;
    let (size, header) = match small {
        0 => (end.checked_sub(at)?, 8),
        1 => {
            let large = u64::from_be_bytes(buf.get(at + 8..at + 16)?.try_into().ok()?);
            (usize::try_from(large).ok()?, 16)
        }
        s => (s, 8),
    };
    let box_end = at.checked_add(size)?;
    if size < header || box_end > end {
        return None;
    }
    Some(Child {
        kind: head[4..8].try_into().ok()?,
        at,
        start: at + header,
        end: box_end,
    })
}

/// The handler type of a `meta` (`mdta`, `mdir`…).
fn handler(buf: &[u8], meta: &Child) -> Option<[u8; 4]> {
    let hdlr = children(buf, meta.at)
        .into_iter()
        .find(|c| &c.kind == b"hdlr")?;
    buf.get(hdlr.start + 8..hdlr.start + 12)?.try_into().ok()
}

/// The key names of a `keys` box, by 1-based index.
fn keys(buf: &[u8], keys: &Child) -> Vec<(u32, Range<usize>, String)> {
    let mut out = Vec::new();
    let mut p = keys.start + 8;
    let mut index = 1u32;
    while p + 8 <= keys.end {
        let size = u32::from_be_bytes(buf[p..p + 4].try_into().unwrap_or_default()) as usize;
        if size < 8 || p + size > keys.end {
            break;
        }
        out.push((
            index,
            p..p + size,
            String::from_utf8_lossy(&buf[p + 8..p + size]).into_owned(),
        ));
        p += size;
        index += 1;
    }
    out
}

fn meta_items(buf: &[u8], meta: &Child, base: usize, out: &mut Items) {
    let kids = children(buf, meta.at);
    let mdta = handler(buf, meta) == Some(*b"mdta");
    let names = kids
        .iter()
        .find(|c| &c.kind == b"keys")
        .map(|k| keys(buf, k))
        .unwrap_or_default();
    for ilst in kids.iter().filter(|c| &c.kind == b"ilst") {
        for item in children(buf, ilst.at) {
            let key = if mdta {
                let index = u32::from_be_bytes(item.kind);
                match names.iter().find(|(i, _, _)| *i == index) {
                    Some((_, _, name)) => name.clone(),
                    None => continue,
                }
            } else {
                atom_name(&item.kind)
            };
            let Some(data) = children(buf, item.at)
                .into_iter()
                .find(|c| &c.kind == b"data")
            else {
                continue;
            };
            let value = buf.get(data.start + 8..data.end).unwrap_or_default();
            let well_known = buf
                .get(data.start..data.start + 4)
                .map(|t| u32::from_be_bytes(t.try_into().unwrap_or_default()) & 0xff_ffff);
            push(out, key, value, well_known == Some(2), &item, base);
        }
    }
}

/// A QuickTime `udta` text atom: (u16 length, u16 language, text)…
fn quicktime_text(buf: &[u8], atom: &Child, base: usize, out: &mut Items) {
    let mut p = atom.start;
    let mut text = Vec::new();
    while p + 4 <= atom.end {
        let len = usize::from(u16::from_be_bytes([buf[p], buf[p + 1]]));
        let Some(record) = buf
            .get(p + 4..p + 4 + len)
            .filter(|_| p + 4 + len <= atom.end)
        else {
            break;
        };
        text.extend_from_slice(record);
        p += 4 + len;
    }
    if text.is_empty() {
        // Not the record layout: the body as it is, for the search.
        text = buf[atom.start..atom.end].to_vec();
    }
    push(out, atom_name(&atom.kind), &text, false, atom, base);
}

fn push(out: &mut Items, key: String, value: &[u8], utf16: bool, item: &Child, base: usize) {
    if value.len() > MAX_VALUE {
        out.unread.push(format!(
            "the '{key}' item is {} MB; values of at most {} MB are read",
            value.len() >> 20,
            MAX_VALUE >> 20
        ));
        return;
    }
    let text = if utf16 {
        super::container::utf16(value, false)
    } else {
        String::from_utf8_lossy(value).into_owned()
    };
    out.fields.push(TextField {
        key,
        text,
        span: base + item.at..base + item.end,
        whole_chunk: true,
    });
}

/// The name libavformat gives an item: `©cmt` is `comment`…
fn atom_name(kind: &[u8; 4]) -> String {
    match kind {
        b"\xa9cmt" => "comment".into(),
        b"\xa9des" | b"desc" => "description".into(),
        b"\xa9nam" => "title".into(),
        b"\xa9too" | b"\xa9swr" => "encoder".into(),
        b"\xa9ART" => "artist".into(),
        b"\xa9inf" => "information".into(),
        [0xa9, rest @ ..] => format!("©{}", String::from_utf8_lossy(rest)),
        k => String::from_utf8_lossy(k).into_owned(),
    }
}

/// `moov` (its bytes, at file offset `base`) without the items whose file
/// spans are in `drop`, at the same length (see the module text).
pub fn strip(moov: &[u8], base: usize, drop: &[Range<usize>]) -> Result<Vec<u8>, String> {
    let dropped = |c: &Child| drop.contains(&(base + c.at..base + c.end));
    let mut out = Vec::with_capacity(moov.len());
    let top = one(moov, 0, moov.len()).ok_or("malformed 'moov' header")?;
    out.extend_from_slice(&moov[..top.start]);
    let mut at = top.start;
    for child in children(moov, 0) {
        out.extend_from_slice(&moov[at..child.at]);
        at = child.end;
        let rebuilt = match &child.kind {
            b"udta" => Some(rebuild(moov, &child, &|c| {
                if &c.kind == b"meta" {
                    Some(rebuild_meta(moov, c, &dropped))
                } else {
                    dropped(c).then(Vec::new)
                }
            })),
            b"meta" => Some(rebuild_meta(moov, &child, &dropped)),
            _ => None,
        };
        match rebuilt {
            Some(new) if new.len() < child.end - child.at => {
                let saved = child.end - child.at - new.len();
                if saved < 8 {
                    return Err("metadata removal left too few bytes for a 'free' box".into());
                }
                out.extend_from_slice(&new);
                out.extend_from_slice(&(saved as u32).to_be_bytes());
                out.extend_from_slice(b"free");
                out.resize(out.len() + saved - 8, 0);
            }
            _ => out.extend_from_slice(&moov[child.at..child.end]),
        }
    }
    out.extend_from_slice(&moov[at..]);
    if out.len() != moov.len() {
        return Err("metadata removal changed the size of 'moov'".into());
    }
    Ok(out)
}

/// A container box with each child replaced by what `each` says (`None`:
/// kept as is; an empty vector: removed).
fn rebuild(buf: &[u8], parent: &Child, each: &dyn Fn(&Child) -> Option<Vec<u8>>) -> Vec<u8> {
    let kids = children(buf, parent.at);
    let body = kids.first().map_or(parent.end, |c| c.at);
    let mut inner = buf[parent.start..body].to_vec();
    let mut at = body;
    for c in &kids {
        inner.extend_from_slice(&buf[at..c.at]);
        match each(c) {
            Some(new) => inner.extend_from_slice(&new),
            None => inner.extend_from_slice(&buf[c.at..c.end]),
        }
        at = c.end;
    }
    inner.extend_from_slice(&buf[at..parent.end]);
    boxed(&parent.kind, &inner)
}

fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

/// A `meta` without the dropped `ilst` items; with handler `mdta`, the
/// `keys` entries only they used are dropped and the others renumbered.
fn rebuild_meta(buf: &[u8], meta: &Child, dropped: &dyn Fn(&Child) -> bool) -> Vec<u8> {
    let kids = children(buf, meta.at);
    let mdta = handler(buf, meta) == Some(*b"mdta");
    let items: Vec<Child> = kids
        .iter()
        .filter(|c| &c.kind == b"ilst")
        .flat_map(|ilst| children(buf, ilst.at))
        .collect();
    let kept_index = |i: u32| {
        items
            .iter()
            .any(|c| !dropped(c) && u32::from_be_bytes(c.kind) == i)
    };
    let names = kids
        .iter()
        .find(|c| &c.kind == b"keys")
        .map(|k| keys(buf, k))
        .unwrap_or_default();
    let used_by_dropped = |i: u32| {
        items
            .iter()
            .any(|c| dropped(c) && u32::from_be_bytes(c.kind) == i)
    };
    let gone = |i: u32| mdta && used_by_dropped(i) && !kept_index(i);
    let renumber = |i: u32| i - (1..i).filter(|&j| gone(j)).count() as u32;
    rebuild(buf, meta, &|c| match &c.kind {
        b"keys" if mdta => {
            let kept: Vec<&(u32, Range<usize>, String)> =
                names.iter().filter(|(i, _, _)| !gone(*i)).collect();
            let mut body = buf[c.start..c.start + 4].to_vec();
            body.extend_from_slice(&(kept.len() as u32).to_be_bytes());
            for (_, span, _) in kept {
                body.extend_from_slice(&buf[span.clone()]);
            }
            Some(boxed(b"keys", &body))
        }
        b"ilst" => Some(rebuild(buf, c, &|item| {
            if dropped(item) {
                return Some(Vec::new());
            }
            let index = u32::from_be_bytes(item.kind);
            (mdta && renumber(index) != index).then(|| {
                let mut v = buf[item.at..item.end].to_vec();
                v[4..8].copy_from_slice(&renumber(index).to_be_bytes());
                v
            })
        })),
        _ => None,
    })
}

#[cfg(test)]
#[path = "movie_tests.rs"]
mod tests;
