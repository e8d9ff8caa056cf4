//! A set of register family ids, as the register states keep which
//! families were written.
//!
//! Why not `Vec<bool>`: every visit of an instruction copies its state,
//! and unoptimised (proc macros are built at opt-level 0) an allocation and
//! a loop per copy and per join were a visible share of the analysis. The
//! first 128 ids (more than a block names, short of `clobber_abi` listing
//! every vector and mask register) live in one word; the rest, if any,
//! in a vector that is empty, and so free to copy, otherwise.

use std::ops::Index;

/// How many ids the inline word holds.
const INLINE: usize = 128;

/// A set of ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bits {
    /// Ids below [`INLINE`].
    low: u128,
    /// Ids from [`INLINE`] on, 64 per word; no trailing zero word, so that
    /// equal sets are equal values.
    high: Vec<u64>,
}

impl Bits {
    /// Whether `id` is in the set.
    pub fn contains(&self, id: usize) -> bool {
        if id < INLINE {
            return self.low >> id & 1 == 1;
        }
        let id = id - INLINE;
        self.high
            .get(id / 64)
            .is_some_and(|word| word >> (id % 64) & 1 == 1)
    }

    /// Adds `id`.
    pub fn insert(&mut self, id: usize) {
        if id < INLINE {
            self.low |= 1 << id;
            return;
        }
        let id = id - INLINE;
        if self.high.len() <= id / 64 {
            self.high.resize(id / 64 + 1, 0);
        }
        self.high[id / 64] |= 1 << (id % 64);
    }

    /// The set of ids `0..count`.
    pub fn all(count: usize) -> Bits {
        let mut bits = Bits::default();
        for id in 0..count {
            bits.insert(id);
        }
        bits
    }

    /// Keeps the ids `other` has too; whether the set changed.
    pub fn intersect(&mut self, other: &Bits) -> bool {
        let before = (self.low, self.high.len());
        self.low &= other.low;
        let mut changed = self.low != before.0;
        for (index, word) in self.high.iter_mut().enumerate() {
            let kept = *word & other.high.get(index).copied().unwrap_or(0);
            changed |= kept != *word;
            *word = kept;
        }
        while self.high.last() == Some(&0) {
            self.high.pop();
        }
        changed || self.high.len() != before.1
    }

    /// Adds the ids of `other`; whether the set changed.
    pub fn unite(&mut self, other: &Bits) -> bool {
        let before = self.low;
        self.low |= other.low;
        let mut changed = self.low != before;
        if self.high.len() < other.high.len() {
            self.high.resize(other.high.len(), 0);
        }
        for (word, theirs) in self.high.iter_mut().zip(&other.high) {
            changed |= *theirs & !*word != 0;
            *word |= *theirs;
        }
        changed
    }
}

/// `bits[id]`, as a `Vec<bool>` reads.
impl Index<usize> for Bits {
    type Output = bool;

    fn index(&self, id: usize) -> &bool {
        if self.contains(id) { &true } else { &false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_of_ids_on_both_sides_of_the_inline_word() {
        let mut a = Bits::default();
        for id in [0, 5, 127, 128, 300] {
            a.insert(id);
        }
        assert!(a[0] && a[5] && a[127] && a[128] && a[300]);
        assert!(!a[1] && !a[129] && !a[299] && !a[10_000]);

        let mut b = Bits::default();
        b.insert(5);
        b.insert(300);
        assert!(!b.unite(&Bits::default()));
        let mut c = a.clone();
        assert!(c.intersect(&b));
        assert_eq!(c, b, "no trailing zero word is kept");
        assert!(!c.intersect(&b));
        assert!(c.unite(&a));
        assert_eq!(c, a);
        assert!(!c.unite(&b));

        let all = Bits::all(130);
        assert!(all[0] && all[129] && !all[130]);
        let mut none = Bits::all(130);
        assert!(none.intersect(&Bits::default()));
        assert_eq!(none, Bits::default());
    }
}
