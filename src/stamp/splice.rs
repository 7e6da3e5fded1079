//! The fast splices: a plain PNG held in memory, or a plain MP4/MOV of any
//! size, gets its manifest written by us in one read, one hash pass and one
//! write, with the hard binding computed as the bytes go by; the SDK then
//! signs the composed manifest (`sign_embeddable`) to the placeholder's
//! exact length. Anything else goes through the SDK's own writer.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::media::{bmff, merkle, png, Format};

/// Whether the large-clip fast path applies: an embedded, first manifest
/// in a plain MP4/MOV (see `media::bmff`); `Err` says why not, `Ok(None)`
/// that it is not a movie to splice at all.
pub fn splice_for(
    embedded: bool,
    has_manifest: bool,
    format: Format,
    source: &File,
    input: &Path,
) -> Result<Option<std::result::Result<bmff::Splice, String>>> {
    if !embedded || !format.is_bmff_movie() {
        return Ok(None);
    }
    if has_manifest {
        return Ok(Some(Err(
            "the file already carries a C2PA manifest store".into()
        )));
    }
    match bmff::shape(source) {
        Ok(bmff::Shape::Plain(splice)) => Ok(Some(Ok(splice))),
        // The SDK's own writer handles (or rejects) every other shape.
        Ok(bmff::Shape::Other(why)) => Ok(Some(Err(why))),
        Err(source) => Err(Error::Read {
            path: input.to_path_buf(),
            source,
        }),
    }
}

/// What the splice removes from a movie's `moov` and checks it for.
pub struct MovieStrip {
    pub drop: Vec<std::ops::Range<usize>>,
    pub secrets: Vec<(&'static str, String)>,
}

/// The splice to sign with, its `moov` without the generator items
/// `strip` names; why they cannot be removed when the splice does not
/// apply (the SDK's writer would copy them).
pub fn prepared(
    splice: Option<std::result::Result<bmff::Splice, String>>,
    strip: Option<&MovieStrip>,
    file: &File,
) -> std::result::Result<Option<bmff::Splice>, String> {
    match (splice, strip) {
        (Some(Err(why)), Some(_)) => Err(format!(
            "its generator metadata cannot be removed in the one write the splice makes ({why}); {}",
            super::generated::REMUX_FIRST
        )),
        (Some(Ok(mut splice)), Some(strip)) => {
            super::generated::strip_movie(&mut splice, file, &strip.drop, &strip.secrets)?;
            Ok(Some(splice))
        }
        (splice, _) => Ok(splice.and_then(|s| s.ok())),
    }
}

pub enum Spliced {
    Sdk(c2pa::Error),
    Io(std::io::Error),
}

/// Sign a plain BMFF movie with one read, one hash pass and one write:
/// reserve the manifest box, splice it in while hashing, then patch the
/// signed box over the placeholder (same length). Returns the raw JUMBF.
pub fn sign_spliced(
    builder: &mut c2pa::Builder,
    splice: &bmff::Splice,
    source: &File,
    temp: &mut File,
    format: Format,
) -> std::result::Result<Vec<u8>, Spliced> {
    // Our own binding with only the required exclusions (the SDK's
    // placeholder would list `free` and `skip` as well), its Merkle trees
    // zero-leaved to the real trees' length.
    let counts = splice.leaf_counts();
    let mut binding = bmff_binding(counts.as_deref().map(merkle::placeholder))?;
    binding.add_place_holder_hash().map_err(Spliced::Sdk)?;
    let label = format!(
        "{}.v{}",
        c2pa::assertions::BmffHash::LABEL,
        binding.bmff_version()
    );
    builder
        .add_assertion(label, &binding)
        .map_err(Spliced::Sdk)?;
    let placeholder = builder.placeholder(format.mime()).map_err(Spliced::Sdk)?;
    if placeholder.len() as u64 > bmff::MAX_MANIFEST_BOX {
        return Err(Spliced::Sdk(c2pa::Error::BadParam(
            "manifest box larger than 64 MiB".into(),
        )));
    }
    let hashes = splice
        .write(source, temp, &placeholder)
        .map_err(Spliced::Io)?;
    let mut binding = bmff_binding(hashes.leaves)?;
    binding.set_hash(hashes.flat);
    let signed = sign_with_binding(
        builder,
        c2pa::assertions::BmffHash::LABEL,
        &binding,
        format,
        placeholder.len(),
    )?;
    temp.seek(SeekFrom::Start(splice.insert_at()))
        .and_then(|_| temp.write_all(&signed))
        .map_err(Spliced::Io)?;
    let jumbf = bmff::jumbf_of_box(&signed).unwrap_or(&signed);
    Ok(jumbf.to_vec())
}

/// A `c2pa.hash.bmff` binding excluding what C2PA 2.2 requires and no more:
/// the C2PA `uuid` box (by its identifier at offset 8), `ftyp` and `mfra`;
/// with `leaves`, each `mdat` after its head is bound by a Merkle tree of
/// them instead (`media::merkle`), so a verifier hashes one leaf at a time.
fn bmff_binding(
    leaves: Option<Vec<Vec<Vec<u8>>>>,
) -> std::result::Result<c2pa::assertions::BmffHash, Spliced> {
    use c2pa::assertions::{DataMap, ExclusionsMap};
    let mut binding = c2pa::assertions::BmffHash::new("jumbf manifest", "sha256", None);
    let mut uuid = ExclusionsMap::new("/uuid".to_owned());
    uuid.data = Some(vec![DataMap {
        offset: 8,
        value: bmff::C2PA_UUID.to_vec(),
    }]);
    binding.exclusions_mut().push(uuid);
    for kind in bmff::EXCLUDED {
        let xpath = format!("/{}", String::from_utf8_lossy(kind));
        binding.exclusions_mut().push(ExclusionsMap::new(xpath));
    }
    if let Some(leaves) = leaves {
        binding
            .add_mdat_leaf_hashes(leaves, merkle::LEAF_KB)
            .map_err(Spliced::Sdk)?;
    }
    Ok(binding)
}

/// Sign a plain PNG held in memory: the `caBX` chunk goes after `IHDR` at
/// `at`, and since the data hash excludes exactly that chunk, it is the
/// SHA-256 of the input as read. One hash pass, one write of three slices.
pub fn sign_png_spliced(
    builder: &mut c2pa::Builder,
    bytes: &[u8],
    at: usize,
    temp: &mut File,
) -> std::result::Result<Vec<u8>, Spliced> {
    use sha2::Digest;
    let placeholder = builder
        .placeholder(Format::Png.mime())
        .map_err(Spliced::Sdk)?;
    let mut binding = c2pa::assertions::DataHash::new("jumbf manifest", "sha256");
    binding.add_exclusion(c2pa::HashRange::new(at as u64, placeholder.len() as u64));
    binding.set_hash(sha2::Sha256::digest(bytes).to_vec());
    let signed = sign_with_binding(
        builder,
        c2pa::assertions::DataHash::LABEL,
        &binding,
        Format::Png,
        placeholder.len(),
    )?;
    for part in [&bytes[..at], &signed, &bytes[at..]] {
        temp.write_all(part).map_err(Spliced::Io)?;
    }
    let jumbf = png::jumbf_of_chunk(&signed).unwrap_or(&signed);
    Ok(jumbf.to_vec())
}

/// Put the real hard binding in place of the placeholder's (same label) and
/// sign; the composed manifest must keep the placeholder's length.
fn sign_with_binding<T: Serialize>(
    builder: &mut c2pa::Builder,
    label_prefix: &str,
    binding: &T,
    format: Format,
    placeholder_len: usize,
) -> std::result::Result<Vec<u8>, Spliced> {
    let label = builder
        .definition
        .assertions
        .iter()
        .map(|a| a.label.clone())
        .find(|l| l.starts_with(label_prefix))
        .ok_or(Spliced::Sdk(c2pa::Error::NotFound))?;
    builder.definition.assertions.retain(|a| a.label != label);
    builder
        .add_assertion(label.as_str(), binding)
        .map_err(Spliced::Sdk)?;
    let signed = builder
        .sign_embeddable(format.mime())
        .map_err(Spliced::Sdk)?;
    if signed.len() != placeholder_len {
        return Err(Spliced::Sdk(c2pa::Error::BadParam(format!(
            "signed manifest is {} bytes, its placeholder {placeholder_len}",
            signed.len()
        ))));
    }
    Ok(signed)
}
