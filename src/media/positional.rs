//! Positional file I/O: reads that name their offset (so two threads can
//! read one file at once) and range copies the kernel does itself.

use std::fs::File;
use std::io;
#[cfg(not(unix))]
use std::io::Write;

/// Copy granularity where the kernel does not copy.
#[cfg(not(unix))]
const CHUNK: usize = 1 << 20;

/// Copy `len` bytes of `src` from `offset` to the end of `dst`; the kernel
/// moves the bytes (`copy_file_range`) where it can.
#[cfg(unix)]
pub fn copy_range(src: &File, offset: u64, len: u64, dst: &mut File) -> io::Result<()> {
    // A second handle keeps this thread's file position away from the hasher's
    // positional reads (which use none).
    let mut reader = src.try_clone()?;
    io::Seek::seek(&mut reader, io::SeekFrom::Start(offset))?;
    let copied = io::copy(&mut io::Read::take(reader, len), dst)?;
    if copied != len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the source shrank while it was being copied",
        ));
    }
    Ok(())
}

/// Copy `len` bytes of `src` from `offset` to the end of `dst` with
/// positional reads: a cloned handle would share the hasher's position.
#[cfg(not(unix))]
pub fn copy_range(src: &File, offset: u64, len: u64, dst: &mut File) -> io::Result<()> {
    let mut buf = vec![0u8; CHUNK];
    let mut at = offset;
    while at < offset + len {
        let n = ((offset + len - at) as usize).min(CHUNK);
        read_exact_at(src, &mut buf[..n], at)?;
        dst.write_all(&buf[..n])?;
        at += n as u64;
    }
    Ok(())
}

/// Read exactly `buf.len()` bytes at `offset` without using the file's
/// position, so two threads can read one file at once.
#[cfg(unix)]
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Read exactly `buf.len()` bytes at `offset` (`seek_read` names the
/// offset on every call). Written for Windows; tested on Linux only.
#[cfg(windows)]
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        match std::os::windows::fs::FileExt::seek_read(
            file,
            &mut buf[done..],
            offset + done as u64,
        )? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => done += n,
        }
    }
    Ok(())
}
