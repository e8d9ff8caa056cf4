//! `.byte`-style data in the instruction stream (`.byte 0x0f, 0x01, 0xd0`
//! is `xgetbv`): decoded with iced's `Decoder` so that the rules see the
//! instructions that will run. Bytes that do not decode cleanly into whole
//! instructions make the block uncheckable.

use iced_x86::{Decoder, DecoderError, DecoderOptions, OpKind};

use super::operands::IP;
use super::{MatchError, MatchErrorKind, Matched};
use crate::template::ast::Bitness;

/// Decodes `bytes` into instructions.
pub(super) fn decode(bytes: &[u8], bitness: Bitness) -> Result<Vec<Matched>, MatchError> {
    let bits = match bitness {
        Bitness::Bits64 => 64,
        Bitness::Bits32 => 32,
        Bitness::Bits16 => 16,
    };
    let mut decoder = Decoder::try_with_ip(bits, bytes, IP, DecoderOptions::NONE)
        .map_err(|e| MatchError::new(MatchErrorKind::InvalidData, e.to_string()))?;
    let mut out: Vec<Matched> = Vec::new();
    let mut previous_len = 0;
    while decoder.can_decode() {
        let offset = decoder.position();
        let instr = decoder.decode();
        if instr.is_invalid() {
            let message = if decoder.last_error() == DecoderError::NoMoreBytes {
                format!("the data ends in the middle of an instruction (at byte {offset})")
            } else {
                format!("the bytes at offset {offset} do not decode to a valid instruction")
            };
            return Err(MatchError::new(MatchErrorKind::InvalidData, message));
        }
        // Fills repeat one instruction (`.skip 4094, 0xcc` is 4094 `int3`):
        // the same bytes have the same facts, so they are worked out once,
        // unless the facts depend on where the bytes are (a relative
        // branch, a `rip`-relative address).
        let end = offset + instr.len();
        let position_free = !instr.is_ip_rel_memory_operand()
            && (0..instr.op_count()).all(|i| {
                !matches!(
                    instr.op_kind(i),
                    OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64
                )
            });
        if let Some(previous) = out.last()
            && position_free
            && end - offset == previous_len
            && offset >= previous_len
            && bytes.get(offset - previous_len..offset) == bytes.get(offset..end)
        {
            let copy: Matched = Matched::clone(previous);
            out.push(copy);
            continue;
        }
        previous_len = instr.len();
        let mut ast_index = [None; 5];
        for (i, slot) in ast_index.iter_mut().enumerate() {
            let i32_ = i as u32;
            if i32_ < instr.op_count()
                // Like a written instruction: only ModRM memory operands are
                // explicit (`movsb`'s operands are implicit in the text).
                && instr.op_kind(i32_) == OpKind::Memory
            {
                *slot = Some(i);
            }
        }
        out.push(Matched::new(
            instr,
            instr.len(),
            bitness,
            ast_index,
            false,
            false,
        ));
    }
    if out.is_empty() {
        return Err(MatchError::new(
            MatchErrorKind::InvalidData,
            "no bytes to decode",
        ));
    }
    Ok(out)
}
