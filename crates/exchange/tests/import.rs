//! Importing the directory from HXL, on every configured backend.

use minbar_core::{Actor, OrgKind, Role, UserId};
use minbar_exchange::directory::{import_organisations, organisations_table, ImportOptions};
use minbar_store::directory::OrgFilter;
use minbar_store::{demo, testing};

const GOOD: &str = "\
Acronym,الاسم,Name,Type,Sectors,Areas,E-mail
#org+acronym,#org+name+i_ar,#org+name+i_en,#org+type,#sector,#adm1+code,#contact+email
NOOR,جمعية النور,Light Association,member,\"health, WASH\",\"SY-ID, Şanlıurfa\",info@noor.example.org
AMAN,منظمة أمان,,ingo,التعليم,ادلب,
";

fn opts() -> ImportOptions {
    ImportOptions::default()
}

#[tokio::test]
async fn a_good_file_is_imported_and_names_resolve_to_codes() {
    for db in testing::all().await {
        let s = &db.store;
        let r = import_organisations(s, GOOD.as_bytes(), opts())
            .await
            .unwrap();
        assert!(r.issues.is_empty(), "{}: {:?}", db.name, r.issues);
        assert_eq!((r.created, r.updated, r.written), (2, 0, true));
        let noor = s.find_org_by_acronym("noor").await.unwrap().unwrap();
        assert_eq!(noor.sectors, vec!["health", "wash"]);
        assert_eq!(noor.areas, vec!["SY-ID", "TR-63"], "Şanlıurfa by name");
        let aman = s.find_org_by_acronym("AMAN").await.unwrap().unwrap();
        assert_eq!(aman.kind, OrgKind::Ingo);
        assert_eq!(aman.sectors, vec!["education"], "التعليم by Arabic name");
        assert_eq!(aman.areas, vec!["SY-ID"], "ادلب without hamza");
        // the same file again: no duplicates, two updates
        let again = import_organisations(s, GOOD.as_bytes(), opts())
            .await
            .unwrap();
        assert_eq!((again.created, again.updated), (0, 2));
        assert_eq!(s.list_orgs(&OrgFilter::default()).await.unwrap().total, 2);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn one_bad_row_means_nothing_is_written_and_every_bad_row_is_reported() {
    for db in testing::all().await {
        let s = &db.store;
        let bad = "\
Acronym,Name,Areas,E-mail,Founded
#org+acronym,#org+name+i_en,#adm1+code,#contact+email,#date+year+founded
GOOD1,Fine Org,SY-ID,,2012
BAD1,,SY-ID,not-an-email,2012
BAD2,Other,Atlantis,,12
GOOD1,Repeated,SY-ID,,
";
        let r = import_organisations(s, bad.as_bytes(), opts())
            .await
            .unwrap();
        assert!(!r.written);
        assert_eq!(
            s.list_orgs(&OrgFilter::default()).await.unwrap().total,
            0,
            "{}",
            db.name
        );
        let codes: Vec<(usize, &str, &str)> = r
            .issues
            .iter()
            .map(|i| (i.row, i.code.as_str(), i.value.as_str()))
            .collect();
        assert!(codes.contains(&(4, "name_required", "")), "{codes:?}");
        assert!(
            codes.contains(&(4, "email_invalid", "not-an-email")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&(5, "area_unknown", "Atlantis")),
            "{codes:?}"
        );
        assert!(codes.contains(&(5, "year_invalid", "12")), "{codes:?}");
        assert!(
            codes.contains(&(6, "acronym_repeated_in_file", "GOOD1")),
            "{codes:?}"
        );
        let email = r.issues.iter().find(|i| i.code == "email_invalid").unwrap();
        assert_eq!(email.column, "E-mail #contact+email");

        // the coordinator may choose to import the valid rows
        let r = import_organisations(
            s,
            bad.as_bytes(),
            ImportOptions {
                valid_rows_only: true,
                ..opts()
            },
        )
        .await
        .unwrap();
        assert!(r.written);
        assert_eq!(r.created, 1);
        assert_eq!(s.list_orgs(&OrgFilter::default()).await.unwrap().total, 1);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_dry_run_writes_nothing_and_the_export_imports_back_unchanged() {
    for db in testing::all().await {
        let s = &db.store;
        let r = import_organisations(
            s,
            GOOD.as_bytes(),
            ImportOptions {
                dry_run: true,
                ..opts()
            },
        )
        .await
        .unwrap();
        assert_eq!((r.created, r.written), (2, false));
        assert_eq!(s.list_orgs(&OrgFilter::default()).await.unwrap().total, 0);

        demo::load(s).await.unwrap();
        let before = s
            .list_orgs(&OrgFilter {
                per_page: 200,
                ..Default::default()
            })
            .await
            .unwrap();
        let table = organisations_table(s, OrgFilter::default()).await.unwrap();
        let mut csv = Vec::new();
        minbar_hxl::csv_io::write_csv(&table, &mut csv).unwrap();
        let r = import_organisations(s, &csv, opts()).await.unwrap();
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!((r.created, r.updated), (0, 49));
        let after = s
            .list_orgs(&OrgFilter {
                per_page: 200,
                ..Default::default()
            })
            .await
            .unwrap();
        for (a, b) in before.items.iter().zip(&after.items) {
            assert_eq!(
                (&a.acronym, &a.name, &a.sectors, &a.areas, &a.email),
                (&b.acronym, &b.name, &b.sectors, &b.areas, &b.email)
            );
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn files_that_are_not_hxl_say_why() {
    let db = testing::sqlite().await;
    let e = import_organisations(&db.store, b"Name,Email\nA,b\n", opts())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("hashtag"), "{e}");
    let e = import_organisations(&db.store, b"#org+name\nA\n", opts())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("#org+acronym"), "{e}");
    let e = import_organisations(&db.store, b"\x00\xff\xfe garbage", opts())
        .await
        .unwrap_err();
    assert!(!e.to_string().is_empty());
}

const PCODES: &str = "\
Governorate,Governorate P-code,District,District P-code,District (ar),Sub-district,Sub-district P-code
#adm1+name+i_en,#adm1+code,#adm2+name+i_en,#adm2+code,#adm2+name+i_ar,#adm3+name+i_en,#adm3+code
Idlib,SY07,Harim,SY0703,حارم,,
Idlib,SY07,Harim,SY0703,حارم,Salqin,SY070302
Aleppo,SY02,Afrin,SY0204,عفرين,,
";

#[tokio::test]
async fn p_code_tables_add_districts_under_the_shipped_governorates() {
    for db in testing::all().await {
        let s = &db.store;
        let bad = format!("{PCODES}Atlantis,SY99,Nowhere,SY9900,لا مكان,,\n");
        let r = minbar_exchange::areas::import_areas(s, bad.as_bytes(), false)
            .await
            .unwrap();
        assert!(!r.written, "{}", db.name);
        assert_eq!(r.issues.len(), 1);
        assert_eq!(
            (
                r.issues[0].row,
                r.issues[0].code.as_str(),
                r.issues[0].value.as_str()
            ),
            (6, "area_unknown", "SY99")
        );
        assert!(s.get_area("SY0703").await.is_err(), "nothing written");

        let r = minbar_exchange::areas::import_areas(s, PCODES.as_bytes(), false)
            .await
            .unwrap();
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert!(r.written);
        assert_eq!((r.created, r.updated), (3, 0));
        let harim = s.get_area("SY0703").await.unwrap();
        assert_eq!((harim.level, harim.parent.as_deref()), (2, Some("SY-ID")));
        assert_eq!(harim.name.ar.as_deref(), Some("حارم"));
        let salqin = s.get_area("sy070302").await.unwrap();
        assert_eq!(
            (salqin.level, salqin.parent.as_deref()),
            (3, Some("SY0703"))
        );
        // the p-code of a governorate now finds the ISO area
        assert_eq!(s.get_area("SY07").await.unwrap().code, "SY-ID");

        // organisations can now be placed by p-code or district name
        let orgs = "Acronym,Name,Areas\n#org+acronym,#org+name+i_en,#adm2+code\nHRM,Harim Relief,\"SY0703, عفرين\"\nIDL,Idlib Org,SY07\n";
        let r = import_organisations(s, orgs.as_bytes(), opts())
            .await
            .unwrap();
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!(
            s.find_org_by_acronym("HRM").await.unwrap().unwrap().areas,
            vec!["SY0204", "SY0703"]
        );
        assert_eq!(
            s.find_org_by_acronym("IDL").await.unwrap().unwrap().areas,
            vec!["SY-ID"]
        );
        // a district counts for its governorate on the map
        let counts = s.members_per_area().await.unwrap();
        assert!(counts.contains(&("SY-ID".to_string(), 2)), "{counts:?}");
        // importing again updates, creates nothing
        let again = minbar_exchange::areas::import_areas(s, PCODES.as_bytes(), false)
            .await
            .unwrap();
        assert_eq!((again.created, again.updated), (0, 3));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn people_import_matches_by_email_and_export_respects_visibility() {
    for db in testing::all().await {
        let s = &db.store;
        demo::load(s).await.unwrap();
        let people = "\
الاسم,Name,Organisation,Title,E-mail,Who sees it,Committees
#contact+name+i_ar,#contact+name+i_en,#org+acronym,#contact+title+i_ar,#contact+email,#meta+visibility+email,#group+committee+list
راتب الدبس,Rateb al-Dabs,CSAD,رئيس لجنة العلاقات العربية,rateb@example.org,coordinators,\"لجنة العلاقات العربية، مكتب العلاقات العربية\"
,,NOPE,,bad-email,,
";
        let r = minbar_exchange::people::import_people(s, people.as_bytes(), opts())
            .await
            .unwrap();
        assert!(!r.written, "{}", db.name);
        let codes: Vec<&str> = r.issues.iter().map(|i| i.code.as_str()).collect();
        assert!(
            codes.contains(&"org_unknown")
                && codes.contains(&"email_invalid")
                && codes.contains(&"name_required"),
            "{codes:?}"
        );

        let good: String = people.lines().take(3).map(|l| format!("{l}\n")).collect();
        let r = minbar_exchange::people::import_people(s, good.as_bytes(), opts())
            .await
            .unwrap();
        assert_eq!(
            (r.created, r.updated, r.written),
            (1, 0, true),
            "{:?}",
            r.issues
        );
        let again = minbar_exchange::people::import_people(s, good.as_bytes(), opts())
            .await
            .unwrap();
        assert_eq!(
            (again.created, again.updated),
            (0, 1),
            "matched by e-mail, not duplicated"
        );
        let found = s.list_people(Some("راتب"), 1, 10).await.unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(
            found.items[0].committees,
            vec!["لجنة العلاقات العربية", "مكتب العلاقات العربية"]
        );

        let visitor = minbar_exchange::people::people_table(s, &Actor::VISITOR)
            .await
            .unwrap();
        assert!(
            visitor.rows.iter().all(|r| r.values[8].is_empty()),
            "visitors see no members-only e-mail"
        );
        let coord = Actor {
            user: Some(UserId(1)),
            role: Role::Coordinator,
            org: None,
            groups: Vec::new(),
        };
        let all = minbar_exchange::people::people_table(s, &coord)
            .await
            .unwrap();
        assert!(all.rows.iter().any(|r| r.values[8] == "rateb@example.org"));
        db.cleanup().await;
    }
}

// ------------------------------------------------------------------ 4W

use minbar_core::Period;
use minbar_exchange::activities::{
    activities_table, import_activities, import_needs, write_activities_csv, Headers,
};
use minbar_store::fourw::ActivityFilter;

const ORGS: &str = "\
Acronym,الاسم,Name,Type
#org+acronym,#org+name+i_ar,#org+name+i_en,#org+type
NOOR,جمعية النور,Light Association,member
AMAN,منظمة أمان,Aman,member
";

/// A monthly 4W sheet as a member fills it: names in Arabic, Arabic digits, thousands
/// separators, a day-first date and an Excel serial.
const FOURW: &str = "\
المنظمة,القطاع,المحافظة,الفترة,النشاط,البداية,النهاية,المستهدفون,الواصلون,الحالة
#org,#sector,#adm1,#date+period,#activity,#date+start,#date+end,#targeted+total,#reached+total,#status
جمعية النور,المياه والصرف الصحي والنظافة,إدلب,2026-03,نقل المياه بالصهاريج,01/03/2026,46112,\"1,250\",٣٥٠,قيد التنفيذ
AMAN,health,SY-HL,2026-03,mobile clinic,2026-03-01,,800,900,ongoing
";

async fn with_orgs(s: &minbar_store::Store) {
    let r = import_organisations(s, ORGS.as_bytes(), opts())
        .await
        .unwrap();
    assert!(r.issues.is_empty(), "{:?}", r.issues);
}

#[tokio::test]
async fn a_4w_sheet_imports_once_however_often_it_is_uploaded() {
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        let r = import_activities(s, FOURW.as_bytes(), opts())
            .await
            .unwrap();
        assert!(r.issues.is_empty(), "{}: {:?}", db.name, r.issues);
        assert_eq!((r.created, r.updated, r.written), (2, 0, true));
        assert_eq!(r.row_warnings.len(), 1, "900 reached of 800 targeted");
        assert_eq!(r.row_warnings[0].code, "reached_above_targeted");
        assert_eq!(r.row_warnings[0].row, 4);
        let list = s.list_activities(&ActivityFilter::default()).await.unwrap();
        let noor = list.items.iter().find(|a| a.org_acronym == "NOOR").unwrap();
        assert_eq!(noor.sector, "wash");
        assert_eq!(noor.area, "SY-ID");
        assert_eq!(noor.targeted.total, Some(1250));
        assert_eq!(noor.reached.total, Some(350));
        assert_eq!(noor.start.as_deref(), Some("2026-03-01"));
        assert_eq!(
            noor.end.as_deref(),
            Some("2026-03-31"),
            "Excel serial 46112"
        );
        let again = import_activities(s, FOURW.as_bytes(), opts())
            .await
            .unwrap();
        assert_eq!((again.created, again.updated), (0, 2));
        assert_eq!(
            s.list_activities(&ActivityFilter::default())
                .await
                .unwrap()
                .total,
            2
        );

        // exported with Arabic headers, the file imports back without edits
        let filter = ActivityFilter::default();
        let mut csv = Vec::new();
        assert_eq!(
            write_activities_csv(s, &filter, Headers::Arabic, &mut csv)
                .await
                .unwrap(),
            2
        );
        let text = String::from_utf8(csv.clone()).unwrap();
        assert!(text.starts_with("المنظمة,"), "{text}");
        assert!(text.contains("#org+acronym,#org+impl"));
        let back = import_activities(s, &csv, opts()).await.unwrap();
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_eq!((back.created, back.updated), (0, 2));
        // and as Excel, with the hashtag row kept
        let table = activities_table(s, &filter, Headers::English)
            .await
            .unwrap();
        let xlsx = minbar_hxl::xlsx::write_xlsx(&table, "4W", true).unwrap();
        let back = import_activities(s, &xlsx, opts()).await.unwrap();
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_eq!((back.created, back.updated), (0, 2));
        db.cleanup().await;
    }
}

/// Where the network reports quarterly, a sheet's months fall into their quarter (so a
/// sheet written with months and one written with `2026-Q2` are the same report), the
/// export says `2026-Q2` and imports back; a quarter where months are still reported is
/// a row error, and so is a row of another quarter than the one chosen.
#[tokio::test]
async fn a_quarterly_network_reads_months_and_quarters_as_its_quarters() {
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        let q2 = Period::parse("2026-04").unwrap();
        s.set_cycle(q2, minbar_core::Cycle::Quarterly)
            .await
            .unwrap();
        let months = FOURW.replace(",2026-03,", ",2026-05,");
        let r = import_activities(s, months.as_bytes(), opts())
            .await
            .unwrap();
        assert!(r.issues.is_empty(), "{}: {:?}", db.name, r.issues);
        assert_eq!((r.created, r.updated), (2, 0), "{}", db.name);
        let f = ActivityFilter {
            period: Some(q2),
            ..Default::default()
        };
        assert_eq!(s.list_activities(&f).await.unwrap().total, 2, "{}", db.name);
        // the same rows written with the quarter's label are the same activities
        let quarters = FOURW.replace(",2026-03,", ",2026-Q2,");
        let again = import_activities(s, quarters.as_bytes(), opts())
            .await
            .unwrap();
        assert!(again.issues.is_empty(), "{:?}", again.issues);
        assert_eq!((again.created, again.updated), (0, 2), "{}", db.name);
        // the export names the quarter, and reads back as it is
        let mut csv = Vec::new();
        write_activities_csv(s, &f, Headers::English, &mut csv)
            .await
            .unwrap();
        let text = String::from_utf8(csv.clone()).unwrap();
        assert!(text.contains(",2026-Q2,"), "{text}");
        let back = import_activities(s, &csv, opts()).await.unwrap();
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_eq!((back.created, back.updated), (0, 2));
        // March is still a month of its own: a first-quarter label cannot be put in it
        let q1 = FOURW.replace(",2026-03,", ",2026-Q1,");
        let bad = import_activities(s, q1.as_bytes(), opts()).await.unwrap();
        assert!(!bad.written);
        let codes: Vec<(usize, &str, &str)> = bad
            .issues
            .iter()
            .map(|i| (i.row, i.code.as_str(), i.value.as_str()))
            .collect();
        assert!(
            codes.contains(&(3, "period_not_in_cycle", "2026-Q1")),
            "{}: {codes:?}",
            db.name
        );
        // importing "for the third quarter" refuses the second quarter's rows
        let wrong = import_activities(
            s,
            months.as_bytes(),
            ImportOptions {
                period: Some(Period::parse("2026-08").unwrap()),
                ..opts()
            },
        )
        .await
        .unwrap();
        assert!(!wrong.written);
        assert!(
            wrong.issues.iter().all(|i| i.code == "period_wrong") && wrong.issues.len() == 2,
            "{:?}",
            wrong.issues
        );
        db.cleanup().await;
    }
}

/// Once WASH has a list, a sheet's type is found by any of its names and stored as its
/// code; a type off the list is a row error that names the list.
#[tokio::test]
async fn a_sectors_list_decides_what_a_sheets_activity_type_may_be() {
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        let wash = minbar_core::SectorCode::parse("wash").unwrap();
        for (code, ar, en) in [
            ("water-trucking", "نقل المياه بالصهاريج", "Water trucking"),
            ("hygiene-kits", "توزيع سلال النظافة", "Hygiene kits"),
        ] {
            let name = minbar_core::I18nText {
                ar: Some(ar.into()),
                en: Some(en.into()),
                tr: None,
            };
            let t = minbar_core::ActivityType::parse(wash.clone(), code, &name).unwrap();
            s.add_activity_type(&t).await.unwrap();
        }
        let r = import_activities(s, FOURW.as_bytes(), opts())
            .await
            .unwrap();
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        let list = s.list_activities(&ActivityFilter::default()).await.unwrap();
        let noor = list.items.iter().find(|a| a.org_acronym == "NOOR").unwrap();
        assert_eq!(noor.activity_type.as_deref(), Some("water-trucking"));
        let aman = list.items.iter().find(|a| a.org_acronym == "AMAN").unwrap();
        assert_eq!(
            aman.activity_type.as_deref(),
            Some("mobile clinic"),
            "health has no list"
        );
        let off_list = FOURW.replace("نقل المياه بالصهاريج", "توزيع خيام");
        let r = import_activities(s, off_list.as_bytes(), opts())
            .await
            .unwrap();
        assert!(!r.written);
        let issue = r
            .issues
            .iter()
            .find(|i| i.code == "activity_type_unknown")
            .unwrap_or_else(|| panic!("{:?}", r.issues));
        assert_eq!((issue.row, issue.value.as_str()), (3, "توزيع خيام"));
        assert_eq!(
            issue.candidates,
            ["نقل المياه بالصهاريج", "توزيع سلال النظافة"]
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_bad_row_after_thousands_of_good_ones_still_means_nothing_is_written() {
    // rows are checked while the batches before them are being inserted: the good rows
    // already sent must go when the last row turns out bad
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        let mut file =
            String::from("#org,#sector,#adm1+code,#date+period,#org+funder,#reached+total\n");
        for n in 0..2_000 {
            file.push_str(&format!("NOOR,wash,SY-ID,2026-03,Donor {n},5\n"));
        }
        file.push_str("NOOR,wash,SY-ZZ,2026-03,Donor X,5\n");
        let r = import_activities(s, file.as_bytes(), opts()).await.unwrap();
        assert!(!r.written);
        let codes: Vec<(usize, &str)> = r.issues.iter().map(|i| (i.row, i.code.as_str())).collect();
        assert_eq!(codes, vec![(2_002, "area_unknown")]);
        let stored = s.list_activities(&ActivityFilter::default()).await.unwrap();
        assert_eq!(stored.total, 0, "{}", db.name);
        let f = ActivityFilter {
            period: Some(Period::parse("2026-03").unwrap()),
            ..Default::default()
        };
        assert!(s.coverage(&f).await.unwrap().is_empty(), "{}", db.name);
        // asked for the valid rows only, the 2,000 land
        let o = ImportOptions {
            valid_rows_only: true,
            ..opts()
        };
        let r = import_activities(s, file.as_bytes(), o).await.unwrap();
        assert_eq!((r.created, r.written), (2_000, true));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn every_bad_4w_row_is_reported_and_nothing_is_written() {
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        let bad = "\
#org,#sector,#adm1+code,#date+period,#date+start,#date+end,#targeted+f+adults,#targeted+m+adults,#targeted+f+children,#targeted+m+children,#targeted+total,#reached+total
NOOR,wash,SY-ID,2026-03,2026-03-01,2026-03-31,10,10,10,10,40,5
NOOR,wash,SY-ZZ,2026-03,,,,,,,,5
NOOR,health,SY-ID,2026-03,2026-03-10,2026-03-01,,,,,,5
NOOR,protection,SY-ID,2026-03,,,10,10,10,10,50,5
NOOR,education,SY-ID,2026-03,,,,,,,,-4
NOBODY,education,SY-ID,2026-03,,,,,,,,4
";
        let r = import_activities(s, bad.as_bytes(), opts()).await.unwrap();
        assert!(!r.written);
        let codes: Vec<(usize, &str)> = r.issues.iter().map(|i| (i.row, i.code.as_str())).collect();
        assert_eq!(
            codes,
            vec![
                (3, "area_unknown"),
                (4, "end_before_start"),
                (5, "total_mismatch"),
                (6, "count_negative"),
                (7, "org_unknown"),
            ],
            "{:?}",
            r.issues
        );
        let unknown = &r.issues[0];
        assert_eq!(
            (unknown.column.as_str(), unknown.value.as_str()),
            ("#adm1+code", "SY-ZZ")
        );
        assert_eq!(
            s.list_activities(&ActivityFilter::default())
                .await
                .unwrap()
                .total,
            0
        );
        // the valid rows only, when asked
        let o = ImportOptions {
            valid_rows_only: true,
            ..opts()
        };
        let r = import_activities(s, bad.as_bytes(), o).await.unwrap();
        assert_eq!((r.created, r.written), (1, true));
        // a file for the wrong period
        let o = ImportOptions {
            period: Some(Period::parse("2026-04").unwrap()),
            ..opts()
        };
        let r = import_activities(s, FOURW.as_bytes(), o).await.unwrap();
        assert!(r.issues.iter().all(|i| i.code == "period_wrong") && r.issues.len() == 2);
        // a focal point's upload may only carry their own organisation
        let noor = s.find_org_by_acronym("NOOR").await.unwrap().unwrap().id;
        let o = ImportOptions {
            only_org: Some(noor),
            ..opts()
        };
        let r = import_activities(s, FOURW.as_bytes(), o).await.unwrap();
        assert_eq!(r.issues.len(), 1);
        assert_eq!(
            (r.issues[0].row, r.issues[0].code.as_str()),
            (4, "org_not_yours")
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_untagged_sheet_is_mapped_from_its_arabic_headers() {
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        let untagged = "\
المنظمة,القطاع,المحافظة,الفترة,المستهدفون: نساء,المستهدفون: رجال,الواصلون: المجموع,ملاحظات
NOOR,الحماية,حلب,2026-03,30,20,45,زيارات منزلية
";
        let r = import_activities(s, untagged.as_bytes(), opts())
            .await
            .unwrap();
        assert!(r.issues.is_empty(), "{:?} {:?}", r.issues, r.mapping);
        assert_eq!(r.created, 1);
        let tags: Vec<&str> = r.mapping.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            tags,
            vec![
                "#org",
                "#sector",
                "#adm1",
                "#date+period",
                "#targeted+f+adults",
                "#targeted+m+adults",
                "#reached+total",
                "#meta+notes"
            ]
        );
        let a = &s
            .list_activities(&ActivityFilter::default())
            .await
            .unwrap()
            .items[0];
        assert_eq!(
            (a.sector.as_str(), a.area.as_str()),
            ("protection", "SY-HL")
        );
        assert_eq!(
            a.targeted.total,
            Some(50),
            "the total is the sum of the parts given"
        );
        // a sheet nobody can read says what it looked for
        let e = import_activities(s, "a,b\n1,2\n".as_bytes(), opts())
            .await
            .unwrap_err();
        assert!(e.to_string().contains("المنظمة"), "{e}");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_person_chooses_what_the_columns_of_an_unrecognised_sheet_are() {
    use minbar_exchange::activities::{column_choices, field_of_tag, untagged_columns};
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        // headers Minbar has no word for, and one it reads wrongly for this file
        let sheet = "\
الجهة,المجال,المكان,الشهر,ملاحظات,العدد الكلي
NOOR,الحماية,حلب,2026-03,زيارات منزلية,45
";
        let e = import_activities(s, sheet.as_bytes(), opts())
            .await
            .unwrap_err();
        assert!(e.to_string().contains("#org"), "{e}");
        // what the page offers: every header cell, suggested tags where there are any
        let cols = untagged_columns(sheet.as_bytes()).unwrap().unwrap();
        let headers: Vec<&str> = cols.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(
            headers,
            [
                "الجهة",
                "المجال",
                "المكان",
                "الشهر",
                "ملاحظات",
                "العدد الكلي"
            ]
        );
        assert_eq!(field_of_tag(&cols[4].1, false), Some("notes"));
        assert!(cols[0].1.is_empty());
        // every choice the page offers is read back as itself
        for (field, _, _) in column_choices(false) {
            let columns: Vec<String> = vec![field.to_string()];
            let (_, mapping) =
                minbar_exchange::activities::read_table("x\n1\n".as_bytes(), Some(&columns))
                    .unwrap();
            assert_eq!(field_of_tag(&mapping[0].1, false), Some(field), "{field}");
        }
        for (field, _, _) in column_choices(true) {
            let columns: Vec<String> = vec![field.to_string()];
            let (_, mapping) =
                minbar_exchange::activities::read_table("x\n1\n".as_bytes(), Some(&columns))
                    .unwrap();
            assert_eq!(field_of_tag(&mapping[0].1, true), Some(field), "{field}");
        }
        // the person's choice: notes are not read, the last column is people reached
        let chosen: Vec<String> = ["org", "sector", "adm1", "period", "", "reached.total"]
            .map(String::from)
            .to_vec();
        let o = ImportOptions {
            columns: Some(chosen),
            ..opts()
        };
        let r = import_activities(s, sheet.as_bytes(), o.clone())
            .await
            .unwrap();
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!(r.created, 1);
        assert_eq!(r.mapping[4], ("ملاحظات".to_string(), String::new()));
        let a = &s
            .list_activities(&ActivityFilter::default())
            .await
            .unwrap()
            .items[0];
        assert_eq!(
            (
                a.sector.as_str(),
                a.area.as_str(),
                a.reached.total,
                a.notes.as_deref()
            ),
            ("protection", "SY-HL", Some(45), None)
        );
        // the same choice again adds nothing
        let r = import_activities(s, sheet.as_bytes(), o).await.unwrap();
        assert_eq!((r.created, r.updated), (0, 1));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn needs_import_and_replace_their_figures() {
    for db in testing::all().await {
        let s = &db.store;
        let needs = "\
#adm1,#sector,#date+period,#inneed+total,#severity,#meta+source
إدلب,wash,2026-03,\"120,000\",4,HNO
SY-RA,protection,2026-03,٨٠٠٠,5,HNO
SY-HL,health,2026-03,100,7,HNO
";
        let r = import_needs(s, needs.as_bytes(), opts()).await.unwrap();
        assert_eq!(r.issues.len(), 1);
        assert_eq!(
            (r.issues[0].row, r.issues[0].code.as_str()),
            (4, "severity_invalid")
        );
        let fixed = needs.replace(",7,", ",3,");
        let r = import_needs(s, fixed.as_bytes(), opts()).await.unwrap();
        assert_eq!((r.created, r.written), (3, true));
        let r = import_needs(s, fixed.as_bytes(), opts()).await.unwrap();
        assert_eq!((r.created, r.updated), (0, 3));
        let n = s.list_needs(None, Some("SY-ID"), None).await.unwrap();
        assert_eq!(n[0].in_need.total, Some(120_000));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_blank_template_imports_back_as_it_is_and_once_filled() {
    use minbar_exchange::activities::activity_template;
    use minbar_hxl::xlsx::{read_excel, write_xlsx, Sheet};
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        let noor = s.find_org_by_acronym("NOOR").await.unwrap().unwrap().id;
        let p = Period::parse("2026-03").unwrap();
        let xlsx = activity_template(s, Some(noor), Some(p), Headers::Arabic, 50)
            .await
            .unwrap();
        let r = import_activities(s, &xlsx, opts()).await.unwrap();
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!(
            (r.rows, r.created, r.written),
            (0, 0, true),
            "unfilled rows are skipped"
        );
        // fill the first row with values from the drop-down lists
        let lists = read_excel_lists(&xlsx);
        let mut table = read_excel(&xlsx, &Sheet::Index(0)).unwrap();
        assert_eq!(table.rows[0].values[0], "NOOR");
        assert_eq!(table.rows[0].values[3], "2026-03");
        let col = |tag: &str| {
            table
                .columns
                .iter()
                .position(|c| c.tag.as_ref().is_some_and(|t| t.to_string() == tag))
                .unwrap()
        };
        let (sector, area, status) = (col("#sector+code"), col("#loc+code"), col("#status"));
        let pick = |title: &str, wanted: &str| -> String {
            lists
                .iter()
                .find(|(t, _)| t == title)
                .and_then(|(_, vs)| vs.iter().find(|v| v.contains(wanted)).cloned())
                .unwrap_or_else(|| panic!("{title} offers {wanted}: {lists:?}"))
        };
        table.rows[0].values[sector] = pick("القطاع", "الحماية");
        table.rows[0].values[area] = pick("رمز المنطقة", "إدلب");
        table.rows[0].values[status] = pick("الحالة", "قيد التنفيذ");
        table.rows[0].values[col("#reached+total")] = "١٢٠".into();
        let filled = write_xlsx(&table, "4W", true).unwrap();
        let r = import_activities(s, &filled, opts()).await.unwrap();
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!(r.created, 1);
        let a = &s
            .list_activities(&ActivityFilter::default())
            .await
            .unwrap()
            .items[0];
        assert_eq!(
            (a.sector.as_str(), a.area.as_str(), a.reached.total),
            ("protection", "SY-ID", Some(120))
        );
        db.cleanup().await;
    }
}

/// The lists sheet of a template: (title, values) per column.
fn read_excel_lists(xlsx: &[u8]) -> Vec<(String, Vec<String>)> {
    let rows = minbar_hxl::xlsx::excel_rows(xlsx, &minbar_hxl::xlsx::Sheet::Index(1)).unwrap();
    let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    (0..width)
        .map(|c| {
            let title = rows[0].1.get(c).cloned().unwrap_or_default();
            let values = rows[1..]
                .iter()
                .filter_map(|r| r.1.get(c).cloned())
                .filter(|v| !v.is_empty())
                .collect();
            (title, values)
        })
        .collect()
}

#[tokio::test]
async fn columns_the_import_does_not_read_are_named_with_the_likely_hashtag() {
    for db in testing::all().await {
        let s = &db.store;
        with_orgs(s).await;
        let file = "#org,#sector,#adm1,#date+period,#reached,#orgg,#x_budget\nNOOR,wash,SY-ID,2026-03,10,x,500\n";
        let r = import_activities(s, file.as_bytes(), opts()).await.unwrap();
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!(r.created, 1, "the row is imported");
        let w: Vec<(&str, &str, Vec<String>)> = r
            .row_warnings
            .iter()
            .map(|i| (i.column.as_str(), i.code.as_str(), i.candidates.clone()))
            .collect();
        assert_eq!(
            w,
            vec![
                ("#orgg", "column_misspelled", vec!["#org".to_string()]),
                ("#x_budget", "column_unused", vec![]),
            ]
        );
        db.cleanup().await;
    }
}
