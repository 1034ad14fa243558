//! The directory story, run against every configured backend: SQLite always, PostgreSQL
//! when MINBAR_TEST_POSTGRES_URL is set.

use minbar_core::*;
use minbar_store::directory::OrgFilter;
use minbar_store::{testing, StoreError};

fn amal() -> OrgInput {
    OrgInput {
        acronym: "AMAL".into(),
        name_ar: "جمعية الأمل للإغاثة".into(),
        name_en: "Hope Relief Association".into(),
        kind: "member".into(),
        membership_status: "applicant".into(),
        hq_area: "TR-27".into(),
        sectors: vec!["health".into(), "wash".into()],
        areas: vec!["SY-ID".into(), "TR-31".into()],
        ..Default::default()
    }
}

fn draft(i: &OrgInput) -> OrgDraft {
    OrgDraft::parse(i).expect("valid input")
}

#[tokio::test]
async fn reference_data_is_seeded_in_three_languages() {
    for db in testing::all().await {
        let s = &db.store;
        let sectors = s.list_sectors().await.unwrap();
        assert_eq!(sectors.len(), 11, "{}", db.name);
        assert!(sectors
            .iter()
            .all(|x| x.name.ar.is_some() && x.name.en.is_some() && x.name.tr.is_some()));
        let idlib = s.get_area("SY-ID").await.unwrap();
        assert_eq!(idlib.name.ar.as_deref(), Some("إدلب"));
        assert_eq!(idlib.parent.as_deref(), Some("SY"));
        let found = s.list_areas(None, None, Some("sanliurfa")).await.unwrap();
        assert_eq!(
            found.first().map(|a| a.code.as_str()),
            Some("TR-63"),
            "{}",
            db.name
        );
        // migrating again changes nothing
        assert_eq!(s.migrate().await.unwrap(), 0);
        assert_eq!(s.list_sectors().await.unwrap().len(), 11);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn organisations_are_created_found_edited_and_conflicts_refused() {
    for db in testing::all().await {
        let s = &db.store;
        let id = s.create_org(&draft(&amal())).await.unwrap();
        let o = s.get_org(id).await.unwrap();
        assert_eq!(o.acronym, "AMAL");
        assert_eq!(o.sectors, vec!["health", "wash"]);
        assert_eq!(o.areas, vec!["SY-ID", "TR-31"]);
        assert_eq!(o.version, 1);

        // a duplicate acronym, in another case, is refused beside the field
        let mut dup = amal();
        dup.acronym = "amal".into();
        match s.create_org(&draft(&dup)).await {
            Err(StoreError::Invalid(e)) => assert_eq!(e.get("acronym"), Some("acronym_taken")),
            other => panic!("{}: expected acronym_taken, got {other:?}", db.name),
        }
        // unknown codes are refused and nothing is written
        let mut bad = amal();
        bad.acronym = "OTHER".into();
        bad.areas = vec!["SY-ZZ".into()];
        bad.sectors = vec!["astrology".into()];
        match s.create_org(&draft(&bad)).await {
            Err(StoreError::Invalid(e)) => {
                assert_eq!(e.get("areas"), Some("area_unknown"));
                assert_eq!(e.get("sectors"), Some("sector_unknown"));
            }
            other => panic!("expected unknown codes, got {other:?}"),
        }
        assert_eq!(s.list_orgs(&OrgFilter::default()).await.unwrap().total, 1);

        // the name filter is Arabic-aware: no hamza, no article, teh marbuta as heh
        for q in ["الامل", "امل", "جمعيه", "amal", "hope"] {
            let page = s
                .list_orgs(&OrgFilter {
                    q: Some(q.into()),
                    ..Default::default()
                })
                .await
                .unwrap();
            assert_eq!(page.total, 1, "{}: query {q}", db.name);
        }
        let none = s
            .list_orgs(&OrgFilter {
                q: Some("100%".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(none.total, 0);

        // edit: membership changes are recorded with dates
        let mut edited = amal();
        edited.membership_status = "member".into();
        edited.name_tr = "Umut Yardım Derneği".into();
        let v2 = s.update_org(id, 1, &draft(&edited)).await.unwrap();
        assert_eq!(v2, 2);
        let history = s.membership_history(id).await.unwrap();
        assert_eq!(
            history.iter().map(|h| h.status).collect::<Vec<_>>(),
            vec![MembershipStatus::Applicant, MembershipStatus::Member]
        );

        // an edit based on version 1 is now stale: refused, nothing overwritten
        let mut stale = amal();
        stale.name_en = "Overwritten".into();
        match s.update_org(id, 1, &draft(&stale)).await {
            Err(StoreError::Conflict { current }) => assert_eq!(current, 2),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(
            s.get_org(id).await.unwrap().name.en.as_deref(),
            Some("Hope Relief Association")
        );

        // filters
        let by_sector = s
            .list_orgs(&OrgFilter {
                sector: Some("wash".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(by_sector.total, 1);
        let by_area = s
            .list_orgs(&OrgFilter {
                area: Some("SY-ID".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(by_area.total, 1);
        let by_kind = s
            .list_orgs(&OrgFilter {
                kind: Some(OrgKind::Donor),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(by_kind.total, 0);

        // text with markup and SQL metacharacters is kept verbatim
        let mut odd = amal();
        odd.acronym = "ODD".into();
        odd.name_en = "<script>alert('x')</script>; DROP TABLE organisations; --".into();
        let odd_id = s.create_org(&draft(&odd)).await.unwrap();
        assert_eq!(
            s.get_org(odd_id).await.unwrap().name.en,
            Some(odd.name_en.clone())
        );

        // delete needs the current version too
        assert!(matches!(
            s.delete_org(odd_id, 7).await,
            Err(StoreError::Conflict { .. })
        ));
        s.delete_org(odd_id, 1).await.unwrap();
        assert!(matches!(s.get_org(odd_id).await, Err(StoreError::NotFound)));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn accounts_sign_in_and_out_with_sessions_in_the_database() {
    for db in testing::all().await {
        let s = &db.store;
        let email = Email::parse("Coord@Example.org").unwrap();
        let pw = Password::parse("a long enough password").unwrap();
        s.create_user(&email, &pw, Role::Coordinator, None)
            .await
            .unwrap();
        assert!(matches!(
            s.create_user(&email, &pw, Role::Admin, None).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(s
            .sign_in("coord@example.org", "wrong password!!")
            .await
            .unwrap()
            .is_none());
        assert!(s
            .sign_in("nobody@example.org", "a long enough password")
            .await
            .unwrap()
            .is_none());
        let (token, session) = s
            .sign_in("coord@example.org", "a long enough password")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(session.user.role, Role::Coordinator);
        // a second process would see the same session: it is only in the database
        let other = minbar_store::Store::connect(&db.url).await.unwrap();
        assert_eq!(
            other.session(&token).await.unwrap().unwrap().user.id,
            session.user.id
        );
        s.sign_out(&token).await.unwrap();
        assert!(other.session(&token).await.unwrap().is_none());
        other.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_demo_network_loads_once() {
    for db in testing::all().await {
        let s = &db.store;
        let loaded = minbar_store::demo::load(s).await.unwrap().unwrap();
        assert_eq!(loaded.organisations, 47);
        assert!(minbar_store::demo::load(s).await.unwrap().is_none());
        let members = s
            .list_orgs(&OrgFilter {
                kind: Some(OrgKind::Member),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(members.total, 42);
        let partners = s
            .list_orgs(&OrgFilter {
                kind: Some(OrgKind::PartnerBody),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(partners.total, 5);
        let per_area = s.members_per_area().await.unwrap();
        assert!(per_area.iter().any(|(c, n)| c == "SY-ID" && *n > 0));
        // people search is Arabic-aware too: مسؤول spelled either way finds nothing wrong
        let people = s.list_people(Some("عبدالله"), 1, 50).await.unwrap();
        let people2 = s.list_people(Some("عبد الله"), 1, 50).await.unwrap();
        assert_eq!(people.total, people2.total);
        db.cleanup().await;
    }
}
