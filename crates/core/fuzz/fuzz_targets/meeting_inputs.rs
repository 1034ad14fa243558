//! Any text through the parsers of meetings and endorsement: shares ("66.67 %", "٥٠٪",
//! "2/3"), rules, time zones, wall-clock times, minutes, and whole meeting and proposal
//! forms. Nothing may panic; a time that parses must read back to the same instant.
#![no_main]
use libfuzzer_sys::fuzz_target;
use minbar_core::*;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let mut parts = s.splitn(4, '|');
    let a = parts.next().unwrap_or("");
    let b = parts.next().unwrap_or("");
    let c = parts.next().unwrap_or("");
    let d = parts.next().unwrap_or("");
    let _ = endorsement::Share::parse(a);
    let _ = time_zone(b);
    if let Ok(t) = local_to_utc(a, b) {
        // what is shown for an instant parses back to it (to the minute)
        let zone = time_zone(b).unwrap();
        let back = local_to_utc(&utc_to_input(t, &zone), &zone);
        if let Ok(back) = back {
            assert!((t - back).abs() < 3 * 3600, "{a:?} in {b:?}: {t} vs {back}");
        }
        let _ = ical_utc(t);
    }
    let _ = utc_to_local(i64::from_le_bytes(data.get(..8).and_then(|x| x.try_into().ok()).unwrap_or([0; 8])), b);
    let _ = MinutesText::parse(&s);
    let _ = KindRules::parse(&RulesInput {
        quorum: a.into(),
        threshold_kind: b.into(),
        threshold: c.into(),
        answers_visible_while_open: d.is_empty(),
        list_endorsers: true,
    })
    .map(|r| r.input());
    let _ = MeetingDraft::parse(&MeetingInput {
        title: a.into(),
        kind: b.into(),
        starts: c.into(),
        ends: d.into(),
        time_zone: b.into(),
        place: d.into(),
        online_url: c.into(),
        visibility: a.into(),
        organisers: vec![data.len() as i64, -1],
        invited: vec![],
    });
    let _ = ProposalDraft::parse(&ProposalInput {
        title: a.into(),
        body: s.to_string(),
        kind: b.into(),
        opens: c.into(),
        closes: d.into(),
        time_zone: a.into(),
        visibility: b.into(),
        ..Default::default()
    });
    let _ = ActionDraft::parse(&ActionInput {
        title: a.into(),
        due: b.into(),
        org_id: Some(1),
        ..Default::default()
    });
});
