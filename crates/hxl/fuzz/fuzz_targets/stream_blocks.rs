//! Differential: any bytes through the streaming `select`, `cut`, `count` and `sort` on one core
//! and on three with tiny blocks (the first byte picks the block size). The two must give
//! the same answer and the same output, byte for byte; and where the stream reads a file
//! that is UTF-8 throughout, the same output as the table way (read the whole table,
//! filter it, write it). Not for other files: a stray byte that is not UTF-8 in a cell the
//! stream never reads leaves the file UTF-8 to it, while the table way decodes the whole
//! file as a legacy encoding (by design: `--encoding` says otherwise).
#![no_main]
use libfuzzer_sys::fuzz_target;
use minbar_hxl::filters::{Aggregate, Query};
use minbar_hxl::stream::{run_with, table_way, Op};
use minbar_hxl::tag::TagPattern;

fuzz_target!(|data: &[u8]| {
    let Some((&size, data)) = data.split_first() else {
        return;
    };
    let block = usize::from(size % 64) + 1;
    let queries = [Query::parse("sector=wash").unwrap(), Query::parse("n>2").unwrap()];
    let tags = TagPattern::parse_list("sector,adm1").unwrap();
    let aggs = [
        Aggregate::parse("sum(n)").unwrap(),
        Aggregate::parse("concat(org)").unwrap(),
        Aggregate::parse("min(n)").unwrap(),
    ];
    let cut = TagPattern::parse_list("org").unwrap();
    let ops = [
        Op::Select {
            queries: &queries[..1],
            reverse: false,
        },
        Op::Select {
            queries: &queries,
            reverse: true,
        },
        Op::Count {
            patterns: &tags,
            aggregates: &aggs,
        },
        Op::Cut {
            include: &cut,
            exclude: &[],
        },
        Op::Sort {
            patterns: &tags,
            reverse: false,
        },
        Op::Sort {
            patterns: &[],
            reverse: true,
        },
    ];
    for (k, op) in ops.iter().enumerate() {
        let (mut one, mut many) = (Vec::new(), Vec::new());
        let a = run_with(data, &mut one, op, 1, 1 << 22);
        let b = run_with(data, &mut many, op, 3, block);
        match (&a, b) {
            (Ok(true), Ok(true)) => assert_eq!(one, many),
            (Ok(x), Ok(y)) => assert_eq!(*x, y),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("one core: {a:?}, three: {b:?}"),
        }
        if !matches!(a, Ok(true)) || std::str::from_utf8(data).is_err() {
            continue;
        }
        if let Some(want) = table_way(data, op) {
            assert_eq!(
                String::from_utf8_lossy(&one),
                String::from_utf8_lossy(&want),
                "the stream and the table differ on operation {k}"
            );
        }
    }
});
