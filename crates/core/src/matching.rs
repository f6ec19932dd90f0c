//! Stable matching of students to positions (order classes, 订单班): the hospital–resident problem
//! with capacities, solved by student-proposing deferred acceptance (Gale–Shapley), which gives the
//! **student-optimal** stable matching: no student can get a place they prefer in any other stable
//! matching, and no student and position would both rather have each other than what they got.
//!
//! What this module protects: that every allocation the college publishes can be rerun and checked
//! by anyone ([`check_stability`]), explained to each student ([`explain`]), refilled after offers
//! are declined without moving anyone who accepted down ([`refill`]), and that ties in a position's
//! ranking are broken by one recorded, machine-independent random order ([`tie_order`],
//! [`break_ties`]).
//!
//! Input rules (checked by [`solve`] before anything else, first problem reported, in the order
//! students by id, then positions by id):
//! - every position a student lists must exist, and appear once in that student's list;
//! - every student a position ranks must exist, and appear once in that ranking;
//! - capacities are not negative. Capacity 0 is allowed (the position takes nobody).
//! - A student may list a position that does not rank them: they are simply not acceptable there
//!   and that application can never succeed. A position may rank students who did not apply to it:
//!   those entries are ignored.
//!
//! Entries are named like JSON paths with 0-based indices: `students.s1[2]` is the third position
//! in student `s1`'s list, `positions.p1.ranking[0]` the first student position `p1` ranks,
//! `positions.p1.capacity` its capacity.
//!
//! How it is fast: ids are mapped to `u32` indices once; preferences live in flat arrays; each
//! application carries the applicant's rank at the position, computed once by walking the
//! position's ranking against the students who applied; each position holds its tentative admits in
//! a bounded max-heap keyed by rank (the worst admit on top, replaced in O(log capacity)); free
//! students wait on a stack. Total work is O(Σ list lengths · log capacity + Σ ranking lengths).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An instance of the hospital–resident problem. Student and position ids are opaque strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// student id -> positions, most wanted first
    pub students: BTreeMap<String, Vec<String>>,
    /// position id -> capacity and strict ranking of acceptable students, best first
    pub positions: BTreeMap<String, Position>,
}

/// A position (an order class, a placement): how many students it takes, and whom it accepts, best
/// first. A student missing from the ranking is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub capacity: i64,
    pub ranking: Vec<String>,
}

/// Refusal naming the offending entry, e.g. entry "students.s1[2]", reason `unknown position "p9"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceError {
    pub entry: String,
    pub reason: String,
}

impl std::fmt::Display for InstanceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.entry, self.reason)
    }
}

impl std::error::Error for InstanceError {}

fn err(entry: String, reason: String) -> InstanceError {
    InstanceError { entry, reason }
}

/// Who got which position. Every student of the instance is present; `None` = not placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matching {
    pub assignments: BTreeMap<String, Option<String>>,
}

// ---------------------------------------------------------------------------------------------
// Ids to indices. Each id is looked up once per occurrence while indexing (1.7 million lookups for
// 100,000 students with 8 choices each), so the table is built for that: the ids are copied end to
// end into one byte array, and an open-addressing table holds (high half of the hash, index + 1).
// A lookup then touches one slot and the compact copy of one id, instead of following a pointer to
// wherever the JSON parser allocated the string (which made the key comparison a cache miss).
// The hash is word-at-a-time multiply (as FxHash) with SplitMix64's final mix; the input is the
// college's own data, so HashDoS is not a concern.

#[inline]
fn hash_id(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h.rotate_left(5) ^ tail_word(rest)).wrapping_mul(K);
    }
    // The multiply only carries low bits upwards; mix so that the low bits (the slot) depend on
    // every byte.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Up to 8 bytes as a little-endian word, zero-padded, in at most three loads (a copy into a
/// buffer of 8 was a call to `memcpy` per id).
#[inline]
fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    debug_assert!(n <= 8);
    if n >= 4 {
        // Two 4-byte loads that overlap when n < 8; the shared bytes land on the same bits.
        let lo = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes"));
        let hi = u32::from_le_bytes(rest[n - 4..].try_into().expect("4 bytes"));
        u64::from(lo) | (u64::from(hi) << ((n - 4) * 8))
    } else if n > 0 {
        let (a, b, c) = (rest[0], rest[n / 2], rest[n - 1]);
        u64::from(a) | (u64::from(b) << (8 * (n / 2))) | (u64::from(c) << (8 * (n - 1)))
    } else {
        0
    }
}

/// An id of at most 16 bytes as two zero-padded words, as [`Slot::inline`] holds it.
#[inline]
fn short_words(b: &[u8]) -> [u64; 2] {
    if b.len() <= 8 {
        [tail_word(b), 0]
    } else {
        let first = u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
        [first, tail_word(&b[8..])]
    }
}

/// One slot of the id table: the hash's high half, the index + 1 (0 = empty), and the id itself
/// when it fits in 16 bytes (student numbers do), so that most lookups read one cache line.
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    tag: u32,
    index: u32,
    len: u32,
    /// The id's bytes when it has at most 16 ([`short_words`]), compared as two words.
    inline: [u64; 2],
}

struct IdTable {
    slots: Vec<Slot>,
    mask: usize,
    /// Ids longer than 16 bytes, end to end: id `i` is `long[ends[i]..ends[i + 1]]` (empty range
    /// for short ids).
    long: Vec<u8>,
    ends: Vec<usize>,
}

impl IdTable {
    /// `ids` are distinct (the keys of a map).
    fn new<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> IdTable {
        let n = ids.len();
        // Load factor between 0.33 and 0.67: short probes, and a table small enough to stay in
        // the cache as long as possible.
        let size = (n + n / 2).max(4).next_power_of_two();
        let mut t = IdTable {
            slots: vec![Slot::default(); size],
            mask: size - 1,
            long: Vec::new(),
            ends: Vec::with_capacity(n + 1),
        };
        t.ends.push(0);
        for (i, id) in ids.enumerate() {
            let b = id.as_bytes();
            let mut slot = Slot {
                tag: 0,
                index: i as u32 + 1,
                len: b.len() as u32,
                inline: [0; 2],
            };
            if b.len() <= 16 {
                slot.inline = short_words(b);
            } else {
                t.long.extend_from_slice(b);
            }
            t.ends.push(t.long.len());
            let h = hash_id(b);
            slot.tag = (h >> 32) as u32;
            let mut j = h as usize & t.mask;
            while t.slots[j].index != 0 {
                j = (j + 1) & t.mask;
            }
            t.slots[j] = slot;
        }
        t
    }

    #[inline]
    fn get(&self, key: &str) -> Option<u32> {
        self.get_hashed(key, hash_id(key.as_bytes()))
    }

    /// Reads the slot a hash starts at, so that a later lookup finds it in the cache: touching the
    /// slots of a whole ranking first lets the processor fetch them in parallel, where lookups one
    /// by one would wait for memory each time.
    #[inline]
    fn touch(&self, h: u64) -> u32 {
        self.slots[h as usize & self.mask].tag
    }

    // Always inlined: a call cost a third of a lookup (160,000 of them at 10,000 students).
    #[inline(always)]
    fn get_hashed(&self, key: &str, h: u64) -> Option<u32> {
        let b = key.as_bytes();
        let words = if b.len() <= 16 {
            short_words(b)
        } else {
            [0; 2]
        };
        let tag = (h >> 32) as u32;
        let mut j = h as usize & self.mask;
        loop {
            let v = &self.slots[j];
            if v.index == 0 {
                return None;
            }
            if v.tag == tag && v.len as usize == b.len() {
                let i = v.index as usize - 1;
                let same = if b.len() <= 16 {
                    v.inline == words
                } else {
                    &self.long[self.ends[i]..self.ends[i + 1]] == b
                };
                if same {
                    return Some(i as u32);
                }
            }
            j = (j + 1) & self.mask;
        }
    }
}

/// Not acceptable: the position does not rank the student.
const NA: u32 = u32::MAX;
/// "No index" in stamp arrays.
const NONE: u32 = u32::MAX;

/// The instance with ids mapped to indices (students and positions in id order) and every
/// application carrying the applicant's rank at the position.
struct Indexed<'a> {
    student_ids: Vec<&'a str>,
    position_ids: Vec<&'a str>,
    pos_index: IdTable,
    student_index: IdTable,
    /// Capacity as given.
    capacity: Vec<i64>,
    /// Student `s`'s applications are `pref_off[s]..pref_off[s + 1]` of the two arrays below.
    pref_off: Vec<u32>,
    pref_pos: Vec<u32>,
    /// 0-based rank of the applicant in the position's ranking, or `NA`.
    pref_rank: Vec<u32>,
    /// Per position, how many applicants it finds acceptable (bounds its heap).
    acceptable: Vec<u32>,
}

fn index(instance: &Instance) -> Result<Indexed<'_>, InstanceError> {
    let students: Vec<(&str, &[String])> = instance
        .students
        .iter()
        .map(|(s, l)| (s.as_str(), l.as_slice()))
        .collect();
    let positions: Vec<(&str, i64, &[String])> = instance
        .positions
        .iter()
        .map(|(p, pos)| (p.as_str(), pos.capacity, pos.ranking.as_slice()))
        .collect();
    index_sorted(&students, &positions)
}

/// [`index`] on borrowed lists; ids strictly increasing (checked by the public caller).
fn index_sorted<'a, S: AsRef<str>>(
    students: &[(&'a str, &[S])],
    positions: &[(&'a str, i64, &[S])],
) -> Result<Indexed<'a>, InstanceError> {
    let n = students.len();
    let m = positions.len();
    if n >= NONE as usize || m >= NONE as usize {
        return Err(err(
            "instance".into(),
            "too many students or positions".into(),
        ));
    }
    let pos_index = IdTable::new(positions.iter().map(|x| x.0));
    let student_index = IdTable::new(students.iter().map(|x| x.0));
    let total: usize = students.iter().map(|x| x.1.len()).sum();
    if total >= NONE as usize {
        return Err(err("students".into(), "too many applications".into()));
    }
    let lists = student_lists(students, &pos_index, m, total)?;
    let by_position = group_by_position(&lists, n, m, total);
    let (capacity, pref_rank, acceptable) =
        rank_applications(positions, &student_index, &by_position, n, total)?;
    Ok(Indexed {
        student_ids: students.iter().map(|x| x.0).collect(),
        position_ids: positions.iter().map(|x| x.0).collect(),
        pos_index,
        student_index,
        capacity,
        pref_off: lists.pref_off,
        pref_pos: lists.pref_pos,
        pref_rank,
        acceptable,
    })
}

/// The students' lists, flat: student `s` lists `pref_pos[pref_off[s]..pref_off[s + 1]]`.
struct Lists {
    pref_off: Vec<u32>,
    pref_pos: Vec<u32>,
    /// How many students listed each position.
    applicants: Vec<u32>,
}

/// Students' lists: known positions, each once.
fn student_lists<S: AsRef<str>>(
    students: &[(&str, &[S])],
    pos_index: &IdTable,
    m: usize,
    total: usize,
) -> Result<Lists, InstanceError> {
    let mut pref_off = Vec::with_capacity(students.len() + 1);
    let mut pref_pos = Vec::with_capacity(total);
    let mut applicants = vec![0u32; m];
    // listed_by[p] = the last student (index + 1) who listed p, and where (for the duplicate message).
    let mut listed_by = vec![(0u32, 0u32); m];
    pref_off.push(0u32);
    for (s, &(sid, list)) in students.iter().enumerate() {
        for (k, pid) in list.iter().enumerate() {
            let pid = pid.as_ref();
            let Some(p) = pos_index.get(pid) else {
                return Err(err(
                    format!("students.{sid}[{k}]"),
                    format!("unknown position {pid:?}"),
                ));
            };
            let seen = &mut listed_by[p as usize];
            if seen.0 == s as u32 + 1 {
                return Err(err(
                    format!("students.{sid}[{k}]"),
                    format!("position {pid:?} listed twice (also at [{}])", seen.1),
                ));
            }
            *seen = (s as u32 + 1, k as u32);
            applicants[p as usize] += 1;
            pref_pos.push(p);
        }
        pref_off.push(pref_pos.len() as u32);
    }
    Ok(Lists {
        pref_off,
        pref_pos,
        applicants,
    })
}

/// Applications grouped by position: position `p`'s are entries `app_off[p]..app_off[p + 1]`
/// of `app_e` (flat application indices) and `app_s` (their students).
struct ByPosition {
    app_off: Vec<u32>,
    app_e: Vec<u32>,
    app_s: Vec<u32>,
}

/// Groups the applications by position (a counting sort).
fn group_by_position(lists: &Lists, n: usize, m: usize, total: usize) -> ByPosition {
    let mut app_off = Vec::with_capacity(m + 1);
    let mut acc = 0u32;
    app_off.push(0u32);
    for &c in &lists.applicants {
        acc += c;
        app_off.push(acc);
    }
    let mut fill = app_off[..m].to_vec();
    let mut app_e = vec![0u32; total];
    let mut app_s = vec![0u32; total];
    for s in 0..n {
        for e in lists.pref_off[s]..lists.pref_off[s + 1] {
            let p = lists.pref_pos[e as usize] as usize;
            app_e[fill[p] as usize] = e;
            app_s[fill[p] as usize] = s as u32;
            fill[p] += 1;
        }
    }
    ByPosition {
        app_off,
        app_e,
        app_s,
    }
}

/// Per student, while position p is processed (stamp = p + 1): whether they applied to p and
/// with which application, and whether p's ranking already named them and where. One array
/// of 16-byte entries, so that a ranking entry costs one cache line here.
#[derive(Clone, Copy, Default)]
struct Scratch {
    applied: u32,
    application: u32,
    ranked: u32,
    place: u32,
}

/// Positions: capacity, rankings of known students each once; ranks of the applicants. Returns
/// the capacities, the rank of each application at its position (`NA`: not ranked), and how
/// many acceptable applicants each position has.
#[allow(clippy::type_complexity)]
fn rank_applications<S: AsRef<str>>(
    positions: &[(&str, i64, &[S])],
    student_index: &IdTable,
    by_position: &ByPosition,
    n: usize,
    total: usize,
) -> Result<(Vec<i64>, Vec<u32>, Vec<u32>), InstanceError> {
    let m = positions.len();
    let mut pref_rank = vec![NA; total];
    let mut capacity = Vec::with_capacity(m);
    let mut acceptable = vec![0u32; m];
    let mut scratch = vec![Scratch::default(); n];
    let mut hashes: Vec<u64> = Vec::new();
    let mut ranked: Vec<u32> = Vec::new();
    let ByPosition {
        app_off,
        app_e,
        app_s,
    } = by_position;
    for (p, &(pid, cap, ranking)) in positions.iter().enumerate() {
        if cap < 0 {
            return Err(err(
                format!("positions.{pid}.capacity"),
                format!("negative capacity {cap}"),
            ));
        }
        capacity.push(cap);
        let stamp = p as u32 + 1;
        for i in app_off[p]..app_off[p + 1] {
            let x = &mut scratch[app_s[i as usize] as usize];
            x.applied = stamp;
            x.application = app_e[i as usize];
        }
        if ranking.len() >= NA as usize {
            return Err(err(
                format!("positions.{pid}.ranking"),
                "ranking too long".into(),
            ));
        }
        // Three passes over the ranking, each a run of independent memory reads (see `touch`).
        hashes.clear();
        let mut sink = 0u32;
        for sid in ranking {
            let h = hash_id(sid.as_ref().as_bytes());
            sink ^= student_index.touch(h);
            hashes.push(h);
        }
        ranked.clear();
        for (r, sid) in ranking.iter().enumerate() {
            let sid = sid.as_ref();
            let Some(s) = student_index.get_hashed(sid, hashes[r]) else {
                return Err(err(
                    format!("positions.{pid}.ranking[{r}]"),
                    format!("unknown student {sid:?}"),
                ));
            };
            sink ^= scratch[s as usize].ranked;
            ranked.push(s);
        }
        std::hint::black_box(sink);
        for (r, (&s, sid)) in ranked.iter().zip(ranking).enumerate() {
            let sid = sid.as_ref();
            let x = &mut scratch[s as usize];
            if x.ranked == stamp {
                return Err(err(
                    format!("positions.{pid}.ranking[{r}]"),
                    format!("student {sid:?} ranked twice (also at [{}])", x.place),
                ));
            }
            x.ranked = stamp;
            x.place = r as u32;
            if x.applied == stamp {
                pref_rank[x.application as usize] = r as u32;
                acceptable[p] += 1;
            }
        }
    }
    Ok((capacity, pref_rank, acceptable))
}

/// Deferred acceptance on the indexed instance: the position index each student gets, or `NONE`.
fn deferred_acceptance(ix: &Indexed<'_>) -> Vec<u32> {
    let n = ix.student_ids.len();
    let m = ix.position_ids.len();
    // Per position a max-heap of (rank << 32 | student) over a flat buffer; its size is bounded by
    // the capacity and by the number of acceptable applicants (so huge capacities cost nothing).
    let mut heap_off = Vec::with_capacity(m + 1);
    let mut cap = Vec::with_capacity(m);
    let mut acc = 0usize;
    for p in 0..m {
        heap_off.push(acc);
        let c = (ix.capacity[p].max(0) as u64).min(u64::from(ix.acceptable[p])) as usize;
        cap.push(c);
        acc += c;
    }
    let mut heap = vec![0u64; acc];
    let mut len = vec![0usize; m];
    let mut next: Vec<u32> = ix.pref_off[..n].to_vec();
    let mut free: Vec<u32> = (0..n as u32).rev().collect();

    while let Some(mut s) = free.pop() {
        'propose: loop {
            let end = ix.pref_off[s as usize + 1];
            loop {
                let e = next[s as usize];
                if e == end {
                    break 'propose; // list exhausted: unplaced
                }
                next[s as usize] = e + 1;
                let r = ix.pref_rank[e as usize];
                if r == NA {
                    continue;
                }
                let p = ix.pref_pos[e as usize] as usize;
                let h = &mut heap[heap_off[p]..heap_off[p] + cap[p]];
                let l = len[p];
                let key = (u64::from(r) << 32) | u64::from(s);
                if l < h.len() {
                    // Sift up.
                    let mut i = l;
                    while i > 0 {
                        let parent = (i - 1) / 2;
                        if h[parent] >= key {
                            break;
                        }
                        h[i] = h[parent];
                        i = parent;
                    }
                    h[i] = key;
                    len[p] = l + 1;
                    break 'propose;
                }
                if l == 0 || key >= h[0] {
                    continue; // full (or capacity 0) with applicants it ranks higher
                }
                // Replace the worst admit and sift down; the displaced student proposes next.
                let displaced = (h[0] & 0xffff_ffff) as u32;
                let mut i = 0;
                loop {
                    let c1 = 2 * i + 1;
                    if c1 >= l {
                        break;
                    }
                    let c2 = c1 + 1;
                    let c = if c2 < l && h[c2] > h[c1] { c2 } else { c1 };
                    if h[c] <= key {
                        break;
                    }
                    h[i] = h[c];
                    i = c;
                }
                h[i] = key;
                s = displaced;
                continue 'propose;
            }
        }
    }

    let mut got = vec![NONE; n];
    for p in 0..m {
        for &k in &heap[heap_off[p]..heap_off[p] + len[p]] {
            got[(k & 0xffff_ffff) as usize] = p as u32;
        }
    }
    got
}

fn to_matching(ix: &Indexed<'_>, got: &[u32]) -> Matching {
    Matching {
        assignments: ix
            .student_ids
            .iter()
            .zip(got)
            .map(|(s, &p)| {
                let pos = (p != NONE).then(|| ix.position_ids[p as usize].to_string());
                (s.to_string(), pos)
            })
            .collect(),
    }
}

/// Student-proposing deferred acceptance: the student-optimal stable matching. Validates first.
pub fn solve(instance: &Instance) -> Result<Matching, InstanceError> {
    let ix = index(instance)?;
    let got = deferred_acceptance(&ix);
    Ok(to_matching(&ix, &got))
}

/// [`solve`] on an instance held elsewhere, for a caller that does not copy every id into a
/// `String` of its own (`skillbridge match` borrows them from the JSON text): students as
/// (id, list), positions as (id, capacity, ranking), each in strictly increasing id order (as the
/// keys of a `BTreeMap`). The same validation and the same result as [`solve`].
pub fn solve_sorted<S: AsRef<str>>(
    students: &[(&str, &[S])],
    positions: &[(&str, i64, &[S])],
) -> Result<Matching, InstanceError> {
    let got = assign_sorted(students, positions)?;
    Ok(Matching {
        assignments: students
            .iter()
            .zip(got)
            .map(|(s, p)| {
                (
                    s.0.to_string(),
                    p.map(|p| positions[p as usize].0.to_string()),
                )
            })
            .collect(),
    })
}

/// [`solve_sorted`] without building the [`Matching`]: for each student, in the order given, the
/// index in `positions` of the place they got, or `None`. For a caller that writes the result
/// itself and has no use for a map of `String`s.
pub fn assign_sorted<S: AsRef<str>>(
    students: &[(&str, &[S])],
    positions: &[(&str, i64, &[S])],
) -> Result<Vec<Option<u32>>, InstanceError> {
    if let Some(w) = students.windows(2).find(|w| w[0].0 >= w[1].0) {
        return Err(err(
            format!("students.{}", w[1].0),
            "student ids must be distinct and in increasing order".into(),
        ));
    }
    if let Some(w) = positions.windows(2).find(|w| w[0].0 >= w[1].0) {
        return Err(err(
            format!("positions.{}", w[1].0),
            "position ids must be distinct and in increasing order".into(),
        ));
    }
    let ix = index_sorted(students, positions)?;
    let got = deferred_acceptance(&ix);
    Ok(got.into_iter().map(|p| (p != NONE).then_some(p)).collect())
}

/// One reason per position the student listed above the one they got (or all, if unplaced).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// the position does not list the student in its ranking
    NotAcceptable { position: String },
    /// the position filled its capacity with applicants it ranked higher; `last_admitted_rank` is the
    /// 1-based rank of the lowest-ranked student it took, `your_rank` the student's 1-based rank there
    FilledWithHigherRanked {
        position: String,
        capacity: i64,
        your_rank: usize,
        last_admitted_rank: usize,
    },
    /// placed here, at this 1-based place of the student's own list
    Placed { position: String, choice: usize },
    /// the student listed nothing
    NoApplications,
}

impl Reason {
    /// The reason in Chinese, for the student.
    pub fn text_zh(&self) -> String {
        match self {
            Reason::NotAcceptable { position } => {
                format!("{position}：该岗位的录取排名中没有你，不能录取")
            }
            Reason::FilledWithHigherRanked { position, capacity: 0, .. } => {
                format!("{position}：本轮不招收学生（名额为 0）")
            }
            Reason::FilledWithHigherRanked {
                position,
                capacity,
                your_rank,
                last_admitted_rank,
            } => format!(
                "{position}：{capacity} 个名额已由排名更靠前的申请者占满（你排第 {your_rank} 名，最后录取者排第 {last_admitted_rank} 名）"
            ),
            Reason::Placed { position, choice } => {
                format!("{position}：已录取（你的第 {choice} 志愿）")
            }
            Reason::NoApplications => "你没有填报任何岗位".to_string(),
        }
    }

    /// The reason in English.
    pub fn text_en(&self) -> String {
        match self {
            Reason::NotAcceptable { position } => {
                format!("{position}: you are not in the position's ranking, so it cannot take you")
            }
            Reason::FilledWithHigherRanked { position, capacity: 0, .. } => {
                format!("{position}: takes no students this round (capacity 0)")
            }
            Reason::FilledWithHigherRanked {
                position,
                capacity,
                your_rank,
                last_admitted_rank,
            } => format!(
                "{position}: its {capacity} place(s) went to applicants it ranks higher (you are ranked {your_rank}, the last admitted {last_admitted_rank})"
            ),
            Reason::Placed { position, choice } => {
                format!("{position}: placed here (your choice no. {choice})")
            }
            Reason::NoApplications => "you listed no positions".to_string(),
        }
    }
}

/// A matching read against an indexed instance: each student's position index (or `NONE`), and
/// the ids that the instance does not know.
fn read_matching(ix: &Indexed<'_>, matching: &Matching) -> (Vec<u32>, Vec<Violation>) {
    let mut got = vec![NONE; ix.student_ids.len()];
    let mut unknown = Vec::new();
    for (sid, pos) in &matching.assignments {
        let Some(s) = ix.student_index.get(sid) else {
            unknown.push(Violation::Unknown {
                entry: format!("assignments.{sid}"),
            });
            continue;
        };
        if let Some(pid) = pos {
            match ix.pos_index.get(pid) {
                Some(p) => got[s as usize] = p,
                None => unknown.push(Violation::Unknown {
                    entry: format!("assignments.{sid} = {pid:?}"),
                }),
            }
        }
    }
    (got, unknown)
}

/// Student `s`'s 0-based rank at position `p`: from the student's applications, or (for a student
/// placed where they did not apply, only in a matching under check) by scanning the ranking.
fn rank_at(ix: &Indexed<'_>, instance: &Instance, s: u32, p: u32) -> u32 {
    let (a, b) = (ix.pref_off[s as usize], ix.pref_off[s as usize + 1]);
    if let Some(e) = (a..b).find(|&e| ix.pref_pos[e as usize] == p) {
        return ix.pref_rank[e as usize];
    }
    let sid = ix.student_ids[s as usize];
    instance.positions[ix.position_ids[p as usize]]
        .ranking
        .iter()
        .position(|x| x == sid)
        .map_or(NA, |r| r as u32)
}

/// Per position: how many it was given, and the worst (largest) 0-based rank among them (`NA` if
/// one of them is not acceptable there; `None` when nobody).
fn admitted(ix: &Indexed<'_>, instance: &Instance, got: &[u32]) -> (Vec<usize>, Vec<Option<u32>>) {
    let m = ix.position_ids.len();
    let mut count = vec![0usize; m];
    let mut worst: Vec<Option<u32>> = vec![None; m];
    for (s, &p) in got.iter().enumerate() {
        if p == NONE {
            continue;
        }
        count[p as usize] += 1;
        let r = rank_at(ix, instance, s as u32, p);
        let w = &mut worst[p as usize];
        *w = Some(w.map_or(r, |w| w.max(r)));
    }
    (count, worst)
}

/// Why each student got what they got: one reason per position the student listed above the one
/// they got (or all, if unplaced), then the `Placed` reason. For an instance that [`solve`] would
/// refuse, the map is empty. Ranks are 1-based places in the position's whole ranking;
/// `last_admitted_rank` is 0 when the position admitted nobody (capacity 0).
pub fn explain(instance: &Instance, matching: &Matching) -> BTreeMap<String, Vec<Reason>> {
    let Ok(ix) = index(instance) else {
        return BTreeMap::new();
    };
    let (got, _) = read_matching(&ix, matching);
    let (_, worst) = admitted(&ix, instance, &got);
    let mut out = BTreeMap::new();
    for (s, sid) in ix.student_ids.iter().enumerate() {
        let (a, b) = (ix.pref_off[s], ix.pref_off[s + 1]);
        let mut reasons = Vec::new();
        if a == b {
            reasons.push(Reason::NoApplications);
        }
        for e in a..b {
            let p = ix.pref_pos[e as usize];
            let position = ix.position_ids[p as usize].to_string();
            if p == got[s] {
                reasons.push(Reason::Placed {
                    position,
                    choice: (e - a) as usize + 1,
                });
                break;
            }
            let r = ix.pref_rank[e as usize];
            if r == NA {
                reasons.push(Reason::NotAcceptable { position });
            } else {
                reasons.push(Reason::FilledWithHigherRanked {
                    position,
                    capacity: ix.capacity[p as usize],
                    your_rank: r as usize + 1,
                    last_admitted_rank: match worst[p as usize] {
                        Some(w) if w != NA => w as usize + 1,
                        _ => 0,
                    },
                });
            }
        }
        out.insert(sid.to_string(), reasons);
    }
    out
}

/// Anyone can rerun this: Err lists every violation (blocking pair, over capacity, placed where the student
/// did not apply or is not acceptable, unknown ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Violation {
    BlockingPair {
        student: String,
        position: String,
    },
    OverCapacity {
        position: String,
        assigned: usize,
        capacity: i64,
    },
    NotApplied {
        student: String,
        position: String,
    },
    NotAcceptable {
        student: String,
        position: String,
    },
    Unknown {
        entry: String,
    },
}

/// Checks a matching against an instance, independently of how it was computed: every assignment
/// names a known student and position, the student applied there and is acceptable, no position
/// is over capacity, and no blocking pair exists (a student and a position that ranks them, which
/// the student prefers to what they got, with a free place or an admit it ranks lower).
/// A student of the instance missing from the matching counts as unplaced. An instance that
/// [`solve`] would refuse gives one `Unknown` naming the bad entry and its reason.
pub fn check_stability(instance: &Instance, matching: &Matching) -> Result<(), Vec<Violation>> {
    let ix = match index(instance) {
        Ok(ix) => ix,
        Err(e) => {
            return Err(vec![Violation::Unknown {
                entry: e.to_string(),
            }])
        }
    };
    let (got, mut v) = read_matching(&ix, matching);
    let (count, worst) = admitted(&ix, instance, &got);
    for (s, sid) in ix.student_ids.iter().enumerate() {
        let p = got[s];
        if p == NONE {
            continue;
        }
        let (a, b) = (ix.pref_off[s], ix.pref_off[s + 1]);
        let position = ix.position_ids[p as usize].to_string();
        match (a..b).find(|&e| ix.pref_pos[e as usize] == p) {
            None => v.push(Violation::NotApplied {
                student: sid.to_string(),
                position,
            }),
            Some(e) if ix.pref_rank[e as usize] == NA => v.push(Violation::NotAcceptable {
                student: sid.to_string(),
                position,
            }),
            Some(_) => {}
        }
    }
    for (p, pid) in ix.position_ids.iter().enumerate() {
        if count[p] as u64 > ix.capacity[p] as u64 {
            v.push(Violation::OverCapacity {
                position: pid.to_string(),
                assigned: count[p],
                capacity: ix.capacity[p],
            });
        }
    }
    for (s, sid) in ix.student_ids.iter().enumerate() {
        for e in ix.pref_off[s]..ix.pref_off[s + 1] {
            let p = ix.pref_pos[e as usize];
            if p == got[s] {
                break; // positions below the one they got are not preferred
            }
            let r = ix.pref_rank[e as usize];
            if r == NA {
                continue;
            }
            let pu = p as usize;
            let has_room = (count[pu] as u64) < ix.capacity[pu] as u64;
            let prefers_s = worst[pu].is_some_and(|w| w > r);
            if has_room || prefers_s {
                v.push(Violation::BlockingPair {
                    student: sid.to_string(),
                    position: ix.position_ids[pu].to_string(),
                });
            }
        }
    }
    if v.is_empty() {
        Ok(())
    } else {
        Err(v)
    }
}

/// Refill after offers are declined: rerun without the decliners (they are removed from the instance and
/// come back unassigned). `accepted` maps each student who accepted to the position they accepted; the
/// result must place each of them at that position or one they prefer (guaranteed by the comparative
/// statics of deferred acceptance; checked, and an Err if ever violated).
///
/// Removing students from an instance never makes the student-optimal stable matching worse for
/// any remaining student (Gale and Sotomayor), so when the accepted places come from [`solve`] on
/// the same instance, the check cannot fail; it guards against places taken from anywhere else.
/// Refused: a decliner or an acceptor who is not a student of the instance, a student both
/// declining and accepting, an accepted position the student did not list.
pub fn refill(
    instance: &Instance,
    declined: &BTreeSet<String>,
    accepted: &BTreeMap<String, String>,
) -> Result<Matching, InstanceError> {
    for sid in declined {
        if !instance.students.contains_key(sid) {
            return Err(err(
                format!("declined.{sid}"),
                format!("unknown student {sid:?}"),
            ));
        }
    }
    for (sid, pid) in accepted {
        let Some(list) = instance.students.get(sid) else {
            return Err(err(
                format!("accepted.{sid}"),
                format!("unknown student {sid:?}"),
            ));
        };
        if declined.contains(sid) {
            return Err(err(
                format!("accepted.{sid}"),
                "the student both declined and accepted".into(),
            ));
        }
        if !list.contains(pid) {
            return Err(err(
                format!("accepted.{sid}"),
                format!("position {pid:?} is not in the student's list"),
            ));
        }
    }
    let reduced = Instance {
        students: instance
            .students
            .iter()
            .filter(|(s, _)| !declined.contains(*s))
            .map(|(s, l)| (s.clone(), l.clone()))
            .collect(),
        positions: instance
            .positions
            .iter()
            .map(|(p, pos)| {
                let ranking = pos
                    .ranking
                    .iter()
                    .filter(|s| !declined.contains(*s))
                    .cloned()
                    .collect();
                (
                    p.clone(),
                    Position {
                        capacity: pos.capacity,
                        ranking,
                    },
                )
            })
            .collect(),
    };
    let mut m = solve(&reduced)?;
    for (sid, pid) in accepted {
        let list = &instance.students[sid];
        let before = list.iter().position(|x| x == pid).expect("checked above");
        let now = m.assignments[sid].as_ref();
        let ok = now.is_some_and(|p| {
            list.iter()
                .position(|x| x == p)
                .is_some_and(|k| k <= before)
        });
        if !ok {
            return Err(err(
                format!("accepted.{sid}"),
                format!(
                    "the refill would move the student from {pid:?} down to {}",
                    now.map_or("no place".to_string(), |p| format!("{p:?}"))
                ),
            ));
        }
    }
    for sid in declined {
        m.assignments.insert(sid.clone(), None);
    }
    Ok(m)
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny PRNG whose output is fixed by its definition,
/// so a recorded seed gives the same order on every machine and every version of every crate.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), without modulo bias (Lemire's multiply-and-reject).
    fn below(&mut self, n: u64) -> u64 {
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }
}

/// The college-wide tie-break: a deterministic random permutation of the students from a recorded seed
/// (same seed + same students => same order on every machine; use a self-contained PRNG such as
/// SplitMix64/xoshiro written in the module, not a crate whose stream may change).
///
/// The students are sorted by id first, so the order depends on the set of students and the seed,
/// not on the order they are passed in; then a Fisher–Yates shuffle driven by SplitMix64.
pub fn tie_order(seed: u64, students: &[String]) -> Vec<String> {
    let mut v = students.to_vec();
    v.sort();
    let mut rng = SplitMix64(seed);
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
    v
}

/// Turn a ranking with ties (tiers of equally ranked students, best tier first) into a strict ranking,
/// ordering each tier by its members' places in `order` (students missing from `order` go last, by id).
pub fn break_ties(tiers: &[Vec<String>], order: &[String]) -> Vec<String> {
    let mut place: HashMap<&str, usize> = HashMap::with_capacity(order.len());
    for (i, s) in order.iter().enumerate() {
        place.entry(s.as_str()).or_insert(i);
    }
    let mut out = Vec::with_capacity(tiers.iter().map(Vec::len).sum());
    for tier in tiers {
        let mut t: Vec<&String> = tier.iter().collect();
        t.sort_by(|a, b| {
            let pa = place.get(a.as_str()).copied().unwrap_or(usize::MAX);
            let pb = place.get(b.as_str()).copied().unwrap_or(usize::MAX);
            pa.cmp(&pb).then_with(|| a.cmp(b))
        });
        out.extend(t.into_iter().cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn inst(
        students: &[(&str, &[&str])],
        positions: &[(&str, i64, &[&str])],
    ) -> Instance {
        Instance {
            students: students
                .iter()
                .map(|(s, l)| (s.to_string(), l.iter().map(|x| x.to_string()).collect()))
                .collect(),
            positions: positions
                .iter()
                .map(|(p, c, r)| {
                    (
                        p.to_string(),
                        Position {
                            capacity: *c,
                            ranking: r.iter().map(|x| x.to_string()).collect(),
                        },
                    )
                })
                .collect(),
        }
    }

    fn got<'a>(m: &'a Matching, s: &str) -> Option<&'a str> {
        m.assignments[s].as_deref()
    }

    #[test]
    fn textbook_instance_gives_the_student_optimal_matching() {
        // Two students, two positions, opposite preferences: students propose, so each gets their
        // first choice although each position would rather have the other student.
        let i = inst(
            &[("a", &["x", "y"]), ("b", &["y", "x"])],
            &[("x", 1, &["b", "a"]), ("y", 1, &["a", "b"])],
        );
        let m = solve(&i).unwrap();
        assert_eq!(got(&m, "a"), Some("x"));
        assert_eq!(got(&m, "b"), Some("y"));
    }

    #[test]
    fn capacity_rejection_chains_and_unplaced_students() {
        let i = inst(
            &[
                ("s1", &["p1", "p2"]),
                ("s2", &["p1"]),
                ("s3", &["p1", "p2"]),
                ("s4", &[]),
                ("s5", &["p2"]),
            ],
            &[
                ("p1", 2, &["s3", "s2", "s1"]),
                ("p2", 1, &["s1", "s3"]), // s5 not acceptable at p2
                ("p3", 0, &["s1"]),
            ],
        );
        let m = solve(&i).unwrap();
        assert_eq!(got(&m, "s1"), Some("p2"));
        assert_eq!(got(&m, "s2"), Some("p1"));
        assert_eq!(got(&m, "s3"), Some("p1"));
        assert_eq!(got(&m, "s4"), None);
        assert_eq!(got(&m, "s5"), None);
        assert_eq!(m.assignments.len(), 5);
    }

    #[test]
    fn capacity_zero_takes_nobody_and_huge_capacity_is_fine() {
        let i = inst(
            &[("a", &["z", "big"]), ("b", &["z"])],
            &[("z", 0, &["a", "b"]), ("big", i64::MAX, &["a"])],
        );
        let m = solve(&i).unwrap();
        assert_eq!(got(&m, "a"), Some("big"));
        assert_eq!(got(&m, "b"), None);
    }

    #[test]
    fn bad_input_is_refused_naming_the_entry() {
        let cases: Vec<(Instance, &str, &str)> = vec![
            (
                inst(&[("s1", &["p1", "p7"])], &[("p1", 1, &[])]),
                "students.s1[1]",
                "unknown position \"p7\"",
            ),
            (
                inst(
                    &[("s1", &["p1", "p2", "p1"])],
                    &[("p1", 1, &[]), ("p2", 1, &[])],
                ),
                "students.s1[2]",
                "position \"p1\" listed twice (also at [0])",
            ),
            (
                inst(&[("s1", &["p1"])], &[("p1", 1, &["s1", "s9"])]),
                "positions.p1.ranking[1]",
                "unknown student \"s9\"",
            ),
            (
                inst(&[("s1", &["p1"])], &[("p1", 1, &["s1", "s1"])]),
                "positions.p1.ranking[1]",
                "student \"s1\" ranked twice (also at [0])",
            ),
            (
                inst(&[("s1", &["p1"])], &[("p1", -1, &["s1"])]),
                "positions.p1.capacity",
                "negative capacity -1",
            ),
        ];
        for (i, entry, reason) in cases {
            let e = solve(&i).unwrap_err();
            assert_eq!((e.entry.as_str(), e.reason.as_str()), (entry, reason));
            assert_eq!(e.to_string(), format!("{entry}: {reason}"));
        }
    }

    #[test]
    fn ranking_students_who_did_not_apply_is_ignored() {
        let i = inst(&[("a", &["x"]), ("b", &[])], &[("x", 1, &["b", "a"])]);
        let m = solve(&i).unwrap();
        assert_eq!(got(&m, "a"), Some("x"));
        assert_eq!(got(&m, "b"), None);
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn explain_gives_one_reason_per_better_choice() {
        let i = inst(
            &[
                ("s1", &["p1", "p2", "p3"]),
                ("s2", &["p1"]),
                ("s3", &["p1", "p2"]),
                ("s4", &[]),
            ],
            &[
                ("p1", 1, &["s2", "s3"]), // s1 not acceptable
                ("p2", 1, &["s3", "s1"]),
                ("p3", 2, &["s1"]),
            ],
        );
        let m = solve(&i).unwrap();
        let x = explain(&i, &m);
        assert_eq!(
            x["s1"],
            vec![
                Reason::NotAcceptable {
                    position: "p1".into()
                },
                Reason::FilledWithHigherRanked {
                    position: "p2".into(),
                    capacity: 1,
                    your_rank: 2,
                    last_admitted_rank: 1
                },
                Reason::Placed {
                    position: "p3".into(),
                    choice: 3
                },
            ]
        );
        assert_eq!(
            x["s2"],
            vec![Reason::Placed {
                position: "p1".into(),
                choice: 1
            }]
        );
        assert_eq!(
            x["s3"],
            vec![
                Reason::FilledWithHigherRanked {
                    position: "p1".into(),
                    capacity: 1,
                    your_rank: 2,
                    last_admitted_rank: 1
                },
                Reason::Placed {
                    position: "p2".into(),
                    choice: 2
                },
            ]
        );
        assert_eq!(x["s4"], vec![Reason::NoApplications]);
        assert!(x["s1"][1].text_en().contains("ranked 2"));
        assert!(x["s1"][1].text_zh().contains("第 2 名"));
        let json = serde_json::to_value(&x["s1"][0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "not_acceptable", "position": "p1"})
        );
        // Capacity 0: no admit, last_admitted_rank 0, its own wording.
        let i = inst(&[("a", &["z"])], &[("z", 0, &["a"])]);
        let x = explain(&i, &solve(&i).unwrap());
        let r = Reason::FilledWithHigherRanked {
            position: "z".into(),
            capacity: 0,
            your_rank: 1,
            last_admitted_rank: 0,
        };
        assert_eq!(x["a"], vec![r.clone()]);
        assert!(r.text_en().contains("capacity 0"));
    }

    #[test]
    fn check_stability_accepts_solve_and_names_each_violation() {
        let i = inst(
            &[("a", &["x", "y"]), ("b", &["x", "y"]), ("c", &["y"])],
            &[("x", 1, &["a", "b"]), ("y", 1, &["b", "a"])],
        );
        let m = solve(&i).unwrap();
        assert_eq!(check_stability(&i, &m), Ok(()));
        let mk = |v: &[(&str, Option<&str>)]| Matching {
            assignments: v
                .iter()
                .map(|(s, p)| (s.to_string(), p.map(str::to_string)))
                .collect(),
        };
        // b and a swapped: a and x block (x prefers a to b, a prefers x to y).
        let bad = mk(&[("a", Some("y")), ("b", Some("x")), ("c", None)]);
        assert_eq!(
            check_stability(&i, &bad),
            Err(vec![Violation::BlockingPair {
                student: "a".into(),
                position: "x".into()
            }])
        );
        let bad = mk(&[
            ("a", Some("x")),
            ("b", Some("x")),
            ("c", Some("y")),
            ("zz", None),
        ]);
        let v = check_stability(&i, &bad).unwrap_err();
        assert!(v.contains(&Violation::Unknown {
            entry: "assignments.zz".into()
        }));
        assert!(v.contains(&Violation::NotAcceptable {
            student: "c".into(),
            position: "y".into()
        }));
        assert!(v.contains(&Violation::OverCapacity {
            position: "x".into(),
            assigned: 2,
            capacity: 1
        }));
        let bad = mk(&[("a", Some("x")), ("b", Some("y")), ("c", Some("q"))]);
        let v = check_stability(&i, &bad).unwrap_err();
        assert_eq!(
            v,
            vec![Violation::Unknown {
                entry: "assignments.c = \"q\"".into()
            }]
        );
        let i2 = inst(&[("a", &["x"])], &[("x", 1, &["a"]), ("w", 1, &[])]);
        let bad = mk(&[("a", Some("w"))]);
        let v = check_stability(&i2, &bad).unwrap_err();
        assert!(v.contains(&Violation::NotApplied {
            student: "a".into(),
            position: "w".into()
        }));
        assert!(v.contains(&Violation::BlockingPair {
            student: "a".into(),
            position: "x".into()
        }));
        // An empty place is a blocking pair with any acceptable student who wants it.
        let bad = mk(&[("a", None), ("b", None), ("c", None)]);
        assert!(check_stability(&i, &bad).is_err());
        // An instance solve refuses.
        let i3 = inst(&[("a", &["nope"])], &[]);
        assert_eq!(
            check_stability(&i3, &mk(&[("a", None)])),
            Err(vec![Violation::Unknown {
                entry: "students.a[0]: unknown position \"nope\"".into()
            }])
        );
    }

    #[test]
    fn refill_fills_declined_places_and_keeps_acceptors() {
        let i = inst(
            &[("a", &["x", "y"]), ("b", &["x", "y"]), ("c", &["x", "y"])],
            &[("x", 1, &["a", "b", "c"]), ("y", 1, &["a", "b", "c"])],
        );
        let m = solve(&i).unwrap();
        assert_eq!(m.assignments["a"].as_deref(), Some("x"));
        assert_eq!(m.assignments["b"].as_deref(), Some("y"));
        assert_eq!(m.assignments["c"], None);
        let declined = BTreeSet::from(["a".to_string()]);
        let accepted = BTreeMap::from([("b".to_string(), "y".to_string())]);
        let r = refill(&i, &declined, &accepted).unwrap();
        assert_eq!(r.assignments["a"], None);
        assert_eq!(r.assignments["b"].as_deref(), Some("x")); // moved up
        assert_eq!(r.assignments["c"].as_deref(), Some("y"));
        // Refusals.
        let e = refill(&i, &BTreeSet::from(["q".to_string()]), &BTreeMap::new()).unwrap_err();
        assert_eq!(e.entry, "declined.q");
        let e = refill(&i, &declined, &BTreeMap::from([("a".into(), "x".into())])).unwrap_err();
        assert_eq!(e.entry, "accepted.a");
        let e = refill(
            &i,
            &BTreeSet::new(),
            &BTreeMap::from([("c".into(), "z".into())]),
        )
        .unwrap_err();
        assert_eq!(e.entry, "accepted.c");
        // An accepted place not from this instance's matching: c "accepted" x, but a keeps x.
        let e = refill(
            &i,
            &BTreeSet::new(),
            &BTreeMap::from([("c".into(), "x".into())]),
        )
        .unwrap_err();
        assert_eq!(e.entry, "accepted.c");
        assert!(e.reason.contains("down to no place"), "{}", e.reason);
    }

    #[test]
    fn splitmix64_matches_its_reference_stream() {
        // First outputs of SplitMix64 seeded with 0, as in the reference C implementation.
        let mut r = SplitMix64(0);
        assert_eq!(r.next(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(r.next(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn tie_order_is_a_seeded_permutation_independent_of_input_order() {
        let s: Vec<String> = (0..50).map(|i| format!("s{i:02}")).collect();
        let a = tie_order(7, &s);
        let mut rev = s.clone();
        rev.reverse();
        assert_eq!(tie_order(7, &rev), a);
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, s);
        assert_ne!(a, s);
        assert_ne!(tie_order(8, &s), a);
        assert!(tie_order(1, &[]).is_empty());
        // Pinned: a recorded seed must give this order on every machine and every release
        // (the same order came out of an independent Python transcription of the algorithm).
        assert_eq!(
            tie_order(2026, &strs(&["a", "b", "c", "d", "e"])),
            strs(PINNED)
        );
    }
    const PINNED: &[&str] = &["d", "a", "c", "b", "e"];

    #[test]
    fn break_ties_orders_each_tier_by_the_order_then_by_id() {
        let tiers = vec![strs(&["c", "a", "b"]), strs(&["e", "z", "d"])];
        let order = strs(&["b", "d", "c", "e", "a"]);
        assert_eq!(
            break_ties(&tiers, &order),
            strs(&["b", "c", "a", "d", "e", "z"])
        );
        // Missing from the order: last in the tier, by id.
        let tiers = vec![strs(&["y", "x", "b"])];
        assert_eq!(break_ties(&tiers, &order), strs(&["b", "x", "y"]));
    }

    #[test]
    fn id_table_finds_every_id_short_and_long_and_nothing_else() {
        let mut ids: Vec<String> = (0..3000)
            .map(|i| match i % 4 {
                0 => format!("s{i}"),
                1 => format!("学生-{i:06}"),
                2 => format!("a-rather-long-student-number-{i:010}"),
                _ => "x".repeat(i % 40),
            })
            .collect();
        ids.sort();
        ids.dedup();
        let t = IdTable::new(ids.iter().map(String::as_str));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(t.get(id), Some(i as u32), "{id}");
        }
        for absent in [
            "s3001",
            "s",
            "学生-000002",
            "a-rather-long-student-number-0000000001",
            "x".repeat(41).as_str(),
        ] {
            assert_eq!(t.get(absent), None, "{absent}");
        }
        assert_eq!(IdTable::new([].into_iter()).get("a"), None);
    }

    #[test]
    fn tail_word_and_short_words_are_the_zero_padded_little_endian_words() {
        let bytes: Vec<u8> = (0xe1..=0xf4).collect();
        for n in 0..=16 {
            let mut buf = [0u8; 16];
            buf[..n].copy_from_slice(&bytes[..n]);
            let lo = u64::from_le_bytes(buf[..8].try_into().unwrap());
            let hi = u64::from_le_bytes(buf[8..].try_into().unwrap());
            if n <= 8 {
                assert_eq!(tail_word(&bytes[..n]), lo, "{n}");
            }
            assert_eq!(short_words(&bytes[..n]), [lo, hi], "{n}");
        }
    }

    #[test]
    fn solve_sorted_refuses_ids_out_of_order_or_repeated() {
        let l: &[&str] = &[];
        let e = solve_sorted(&[("b", l), ("a", l)], &[]).unwrap_err();
        assert_eq!(e.entry, "students.a");
        let e = solve_sorted(&[("a", l)], &[("p", 1, l), ("p", 1, l)]).unwrap_err();
        assert_eq!(e.entry, "positions.p");
        let m = solve_sorted(&[("a", &["p"][..])], &[("p", 1, &["a"][..])]).unwrap();
        assert_eq!(m.assignments["a"].as_deref(), Some("p"));
    }
}
