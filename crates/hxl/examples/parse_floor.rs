//! The floor for streaming HXL filters: a bare `csv`-crate parse of the file, touching
//! every field, as fast as reading the CSV can be. Used by `bench/hxl.sh`.

fn main() {
    let path = std::env::args().nth(1).expect("a CSV file");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(&path)
        .expect("readable");
    let (mut rows, mut bytes) = (0usize, 0usize);
    let mut rec = csv::ByteRecord::new();
    while r.read_byte_record(&mut rec).expect("csv") {
        rows += 1;
        bytes += rec.iter().map(<[u8]>::len).sum::<usize>();
    }
    println!("{rows} rows, {bytes} bytes of fields");
}
