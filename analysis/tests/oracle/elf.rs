//! Just enough ELF64 reading to pull one section's bytes out of the object
//! file rustc writes: header, section headers, section-name string table.

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<usize> {
    let value = u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?);
    usize::try_from(value).ok()
}

/// The contents of the section called `name` in a little-endian ELF64 object.
pub(crate) fn section<'a>(object: &'a [u8], name: &str) -> Option<&'a [u8]> {
    if object.get(..4)? != b"\x7fELF" || *object.get(4)? != 2 {
        return None;
    }
    let shoff = u64_at(object, 0x28)?;
    let shentsize = usize::from(u16_at(object, 0x3a)?);
    let shnum = usize::from(u16_at(object, 0x3c)?);
    let shstrndx = usize::from(u16_at(object, 0x3e)?);
    let header = |index: usize| shoff + index * shentsize;
    let strtab_offset = u64_at(object, header(shstrndx) + 0x18)?;
    for index in 0..shnum {
        let at = header(index);
        let name_offset = strtab_offset + u32_at(object, at)? as usize;
        let rest = object.get(name_offset..)?;
        let end = rest.iter().position(|&b| b == 0)?;
        if &rest[..end] == name.as_bytes() {
            let offset = u64_at(object, at + 0x18)?;
            let size = u64_at(object, at + 0x20)?;
            return object.get(offset..offset + size);
        }
    }
    None
}
