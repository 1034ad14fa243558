//! Any text through the mentions scanner, with a directory of names in Arabic, English
//! and Turkish (and names that are themselves odd: one letter, only an article, marks).
//! Nothing may panic, and every mention's offsets must point at its surface.
#![no_main]
use libfuzzer_sys::fuzz_target;
use minbar_text::mentions::Gazetteer;
use std::sync::OnceLock;

fn gazetteer() -> &'static Gazetteer<u8> {
    static G: OnceLock<Gazetteer<u8>> = OnceLock::new();
    G.get_or_init(|| {
        let mut g = Gazetteer::new();
        for (i, n) in [
            "لجنة العلاقات العربية",
            "الائتلاف الوطني لقوى الثورة والمعارضة السورية",
            "عائشة الدبس",
            "راتب الدبس",
            "كفاح مراد",
            "إدلب",
            "حلب",
            "ريف حلب",
            "تركيا",
            "Civil Society Affairs Department",
            "Şanlıurfa",
            "İstanbul",
            "CSAD",
            "ال",
            "و",
            "ـ",
            "\u{064B}\u{0651}",
        ]
        .iter()
        .enumerate()
        {
            g.add(i as u8, &i.to_string(), n);
        }
        g
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let chars: Vec<char> = text.chars().collect();
    for m in gazetteer().find(&text) {
        assert!(m.start < m.end && m.end <= chars.len(), "{m:?}");
        let at: String = chars[m.start..m.end].iter().collect();
        assert_eq!(at, m.surface);
    }
});
