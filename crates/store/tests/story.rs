//! The directory story, run against every configured backend: SQLite always, PostgreSQL
//! when MINBAR_TEST_POSTGRES_URL is set.

use minbar_core::*;
use minbar_store::accounts::{Origin, SignIn, TokenScope};
use minbar_store::audit::{AuditFilter, AuditProblem, Who};
use minbar_store::directory::OrgFilter;
use minbar_store::fourw::ActivityFilter;
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
        let here = Origin {
            address: "192.0.2.1".into(),
            user_agent: "test".into(),
        };
        assert!(matches!(
            s.sign_in("coord@example.org", "wrong password!!", &here)
                .await
                .unwrap(),
            SignIn::Refused
        ));
        assert!(matches!(
            s.sign_in("nobody@example.org", "a long enough password", &here)
                .await
                .unwrap(),
            SignIn::Refused
        ));
        let SignIn::Opened(token, session) = s
            .sign_in("coord@example.org", "a long enough password", &here)
            .await
            .unwrap()
        else {
            panic!("the right password opens a session")
        };
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
async fn sign_in_failures_are_throttled_per_account_and_address() {
    for db in testing::all().await {
        let s = &db.store;
        let email = Email::parse("fp@example.org").unwrap();
        let pw = Password::parse("a long enough password").unwrap();
        s.create_user(&email, &pw, Role::Coordinator, None)
            .await
            .unwrap();
        let office = Origin {
            address: "198.51.100.7".into(),
            ..Default::default()
        };
        for _ in 0..5 {
            let r = s.sign_in("fp@example.org", "guess guess guess", &office);
            assert!(matches!(r.await.unwrap(), SignIn::Refused), "{}", db.name);
        }
        // the sixth attempt waits, even with the right password, and from anywhere
        let elsewhere = Origin {
            address: "203.0.113.9".into(),
            ..Default::default()
        };
        match s
            .sign_in("fp@example.org", "a long enough password", &elsewhere)
            .await
            .unwrap()
        {
            SignIn::Throttled { retry_after } => assert!((1..=900).contains(&retry_after)),
            other => panic!("{}: expected a wait, got {other:?}", db.name),
        }
        // another account from the same office is not held up by it
        let other = Email::parse("other@example.org").unwrap();
        s.create_user(&other, &pw, Role::Coordinator, None)
            .await
            .unwrap();
        assert!(matches!(
            s.sign_in("other@example.org", "a long enough password", &office)
                .await
                .unwrap(),
            SignIn::Opened(..)
        ));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_tokens() {
    for db in testing::all().await {
        let s = &db.store;
        let email = Email::parse("coord@example.org").unwrap();
        let pw = Password::parse("a long enough password").unwrap();
        let id = s
            .create_user(&email, &pw, Role::Coordinator, None)
            .await
            .unwrap();
        let here = Origin::default();
        let SignIn::Opened(phone, _) = s
            .sign_in("coord@example.org", "a long enough password", &here)
            .await
            .unwrap()
        else {
            panic!()
        };
        let SignIn::Opened(laptop, laptop_session) = s
            .sign_in("coord@example.org", "a long enough password", &here)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(s.sessions_of(id).await.unwrap().len(), 2);
        // revoking one session by its id ends that one only
        s.revoke_session(id, &laptop_session.id).await.unwrap();
        assert!(s.session(&laptop).await.unwrap().is_none());
        assert!(s.session(&phone).await.unwrap().is_some());

        let (_, read) = s
            .create_token(id, "reports", TokenScope::Read)
            .await
            .unwrap();
        let t = s.token_user(&read).await.unwrap().expect("the token works");
        assert_eq!((t.user.id, t.scope), (id, TokenScope::Read));
        assert!(s.token_user("mbr_not-a-token").await.unwrap().is_none());

        s.set_disabled(id, true).await.unwrap();
        assert!(s.session(&phone).await.unwrap().is_none(), "{}", db.name);
        assert!(s.sessions_of(id).await.unwrap().is_empty());
        assert!(s.token_user(&read).await.unwrap().is_none());
        assert!(matches!(
            s.sign_in("coord@example.org", "a long enough password", &here)
                .await
                .unwrap(),
            SignIn::Refused
        ));
        s.set_disabled(id, false).await.unwrap();
        assert!(s.token_user(&read).await.unwrap().is_some());
        let listed = s.tokens_of(id).await.unwrap();
        s.revoke_token(id, listed[0].id).await.unwrap();
        assert!(s.token_user(&read).await.unwrap().is_none());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn every_write_is_in_a_hash_chained_audit_trail_that_catches_tampering() {
    for db in testing::all().await {
        let coordinator = Who {
            user: Some(UserId(42)),
            email: "coord@example.org".into(),
            org: None,
            via: "session:0123456789ab".into(),
        };
        let s = db.store.acting(coordinator.clone());
        let id = s.create_org(&draft(&amal())).await.unwrap();
        let mut changed = amal();
        changed.name_en = "Hope Relief".into();
        s.update_org(id, 1, &draft(&changed)).await.unwrap();
        let entries = s
            .audit_entries(&AuditFilter {
                entity: Some("organisation".into()),
                entity_id: Some(id.to_string()),
                per_page: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(entries.total, 2, "{}", db.name);
        let update = &entries.items[0];
        assert_eq!(update.action, "update");
        assert_eq!(update.user_email, "coord@example.org");
        assert_eq!(update.via, "session:0123456789ab");
        let before: serde_json::Value =
            serde_json::from_str(update.before.as_deref().unwrap()).unwrap();
        let after: serde_json::Value =
            serde_json::from_str(update.after.as_deref().unwrap()).unwrap();
        assert_eq!(before["name_en"], "Hope Relief Association");
        assert_eq!(after["name_en"], "Hope Relief");
        assert_eq!(after["org_sectors"], serde_json::json!(["health", "wash"]));
        assert_eq!(update.prev_hash, entries.items[1].hash);

        // a failed write records nothing: the entry is in the same transaction
        assert!(s.update_org(id, 1, &draft(&changed)).await.is_err());
        let n = s
            .audit_entries(&AuditFilter::default())
            .await
            .unwrap()
            .total;
        assert_eq!(n, 2);
        s.delete_org(id, 2).await.unwrap();
        let check = s.verify_audit().await.unwrap();
        assert_eq!((check.checked, check.problem.clone()), (3, None));

        // editing an entry after the fact
        db.raw("UPDATE audit_log SET user_email = 'someone@else.org' WHERE id = 2")
            .await;
        let check = s.verify_audit().await.unwrap();
        assert_eq!(check.problem, Some(AuditProblem::Altered { id: 2 }));
        assert_eq!(check.checked, 1);
        db.raw("UPDATE audit_log SET user_email = 'coord@example.org' WHERE id = 2")
            .await;
        assert_eq!(s.verify_audit().await.unwrap().problem, None);
        // removing one
        db.raw("DELETE FROM audit_log WHERE id = 2").await;
        assert_eq!(
            s.verify_audit().await.unwrap().problem,
            Some(AuditProblem::Missing { after: 1, next: 3 })
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn invitations_and_reset_links_work_once_and_queue_their_mail() {
    for db in testing::all().await {
        let s = &db.store;
        let org = s.create_org(&draft(&amal())).await.unwrap();
        let email = Email::parse("New.Member@example.org").unwrap();
        let (_, token) = s
            .invite(&email, Role::Member, Some(org), "ar", |t| {
                Some((
                    "دعوة".into(),
                    format!("https://minbar.example/invitation/{t}"),
                ))
            })
            .await
            .unwrap();
        let mail = s.due_mail(10).await.unwrap();
        assert_eq!(mail.len(), 1, "{}", db.name);
        assert_eq!(mail[0].to, "New.Member@example.org");
        assert!(mail[0].body.ends_with(&token));
        let inv = s
            .invitation(&token)
            .await
            .unwrap()
            .expect("a live invitation");
        assert_eq!(
            (inv.role, inv.org, inv.lang.as_str()),
            (Role::Member, Some(org), "ar")
        );
        assert!(s.invitation("not-a-token").await.unwrap().is_none());
        let pw = Password::parse("olive rain over the citadel").unwrap();
        let user = s.accept_invitation(&token, &pw).await.unwrap();
        // single use
        assert!(matches!(
            s.accept_invitation(&token, &pw).await,
            Err(StoreError::NotFound)
        ));
        assert!(s.invitation(&token).await.unwrap().is_none());
        let u = s
            .find_user("new.member@example.org")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((u.id, u.role, u.org), (user, Role::Member, Some(org)));
        // an existing account is not invited again
        assert!(matches!(
            s.invite(&email, Role::Member, Some(org), "ar", |_| None)
                .await,
            Err(StoreError::Invalid(_))
        ));
        // an expired invitation is refused
        let late = Email::parse("late@example.org").unwrap();
        let (_, old) = s
            .invite(&late, Role::Partner, None, "en", |_| None)
            .await
            .unwrap();
        db.raw("UPDATE invitations SET expires_at = 0 WHERE email_key = 'late@example.org'")
            .await;
        assert!(matches!(
            s.accept_invitation(&old, &pw).await,
            Err(StoreError::NotFound)
        ));

        // a reset link: unknown addresses get none, and nobody can tell from the answer
        assert!(!s
            .request_reset("nobody@example.org", |_, _| unreachable!())
            .await
            .unwrap());
        let mut link = String::new();
        assert!(s
            .request_reset("new.member@example.org", |t, _| {
                link = t.to_string();
                ("reset".into(), t.to_string())
            })
            .await
            .unwrap());
        let SignIn::Opened(session, _) = s
            .sign_in(
                "new.member@example.org",
                "olive rain over the citadel",
                &Origin::default(),
            )
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(s.reset_is_live(&link).await.unwrap());
        let new = Password::parse("a brand new long passphrase").unwrap();
        s.reset_password(&link, &new).await.unwrap();
        assert!(s.session(&session).await.unwrap().is_none(), "sessions end");
        assert!(!s.reset_is_live(&link).await.unwrap());
        assert!(matches!(
            s.reset_password(&link, &new).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.sign_in(
                "new.member@example.org",
                "a brand new long passphrase",
                &Origin::default()
            )
            .await
            .unwrap(),
            SignIn::Opened(..)
        ));
        // delivery bookkeeping: a failure waits, a success leaves the queue
        let due = s.due_mail(10).await.unwrap();
        assert_eq!(due.len(), 2);
        s.mail_failed(&due[0], "connection refused").await.unwrap();
        s.mail_sent(due[1].id).await.unwrap();
        assert!(s.due_mail(10).await.unwrap().is_empty());
        assert_eq!(s.mail_waiting().await.unwrap(), 1);
        assert_eq!(s.verify_audit().await.unwrap().problem, None);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn two_factor_sign_in_asks_for_a_fresh_code() {
    use minbar_core::totp;
    for db in testing::all().await {
        let s = &db.store;
        let email = Email::parse("admin@example.org").unwrap();
        let pw = Password::parse("a long enough password").unwrap();
        let id = s.create_user(&email, &pw, Role::Admin, None).await.unwrap();
        let here = Origin::default();
        // an admin's setting: admins must use it; until set up, sessions say so
        s.set_two_factor_roles(&[Role::Admin, Role::Coordinator])
            .await
            .unwrap();
        let SignIn::Opened(token, session) = s
            .sign_in("admin@example.org", "a long enough password", &here)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(session.must_enroll, "{}", db.name);
        assert!(s.session(&token).await.unwrap().unwrap().must_enroll);

        let secret = s.begin_two_factor(id).await.unwrap();
        let now = minbar_store::util::now();
        let code = |step: i64| format!("{:06}", totp::code_at(&secret, step));
        let s0 = totp::step_of(now);
        let valid = [code(s0 - 1), code(s0), code(s0 + 1), code(s0 + 2)];
        let wrong = (0..)
            .map(|n| format!("{n:06}"))
            .find(|c| !valid.contains(c))
            .unwrap();
        assert!(matches!(
            s.confirm_two_factor(id, &wrong).await,
            Err(StoreError::Invalid(_))
        ));
        s.confirm_two_factor(id, &code(totp::step_of(now)))
            .await
            .unwrap();
        assert!(!s.session(&token).await.unwrap().unwrap().must_enroll);

        // now the password alone opens nothing
        let SignIn::NeedsCode(challenge) = s
            .sign_in("admin@example.org", "a long enough password", &here)
            .await
            .unwrap()
        else {
            panic!("{}: a code is asked for", db.name)
        };
        assert!(matches!(
            s.finish_sign_in(&challenge, "12345", &here).await.unwrap(),
            SignIn::Refused
        ));
        // the code confirmed a moment ago cannot be used again
        assert!(matches!(
            s.finish_sign_in(&challenge, &code(totp::step_of(now)), &here)
                .await
                .unwrap(),
            SignIn::Refused
        ));
        // the next one can, once
        let next = code(totp::step_of(now) + 1);
        assert!(matches!(
            s.finish_sign_in(&challenge, &next, &here).await.unwrap(),
            SignIn::Opened(..)
        ));
        assert!(!s.challenge_is_live(&challenge).await.unwrap());
        // a lost phone: the operator turns it off; sessions end
        s.disable_two_factor(id).await.unwrap();
        assert!(s.session(&token).await.unwrap().is_none());
        assert!(
            !s.find_user("admin@example.org")
                .await
                .unwrap()
                .unwrap()
                .two_factor
        );
        assert_eq!(s.verify_audit().await.unwrap().problem, None);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_demo_network_loads_once() {
    for db in testing::all().await {
        let s = &db.store;
        let loaded = minbar_store::demo::load(s).await.unwrap().unwrap();
        assert_eq!(loaded.organisations, 47);
        assert!(loaded.activities > 300, "{loaded:?}");
        assert_eq!(loaded.needs, 36);
        assert_eq!(loaded.meetings, 2);
        let past = s.get_meeting(MeetingId(1)).await.unwrap();
        assert_eq!(past.minutes_state, MinutesState::Approved);
        assert_eq!(past.attendees.len(), 5);
        assert_eq!(s.list_proposals(&None, None).await.unwrap().len(), 1);
        // the demo's last month shows gaps and every round state
        let last = Period::parse(minbar_store::demo::DEMO_PERIODS[5]).unwrap();
        let m = s
            .coverage(&ActivityFilter {
                period: Some(last),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(m.iter().any(|c| c.is_gap()) && m.iter().any(|c| !c.is_gap()));
        let states: std::collections::HashSet<_> = s
            .rounds(last)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.2)
            .collect();
        assert!(states.contains(&RoundState::Submitted) && states.contains(&RoundState::Draft));
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

fn activity(
    org: OrgId,
    period: &str,
    sector: &str,
    area: &str,
    targeted: &str,
    reached: &str,
) -> ActivityDraft {
    let five = |t: &str| {
        [
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            t.to_string(),
        ]
    };
    ActivityInput {
        period: period.into(),
        sector: sector.into(),
        area: area.into(),
        activity_type: "water trucking".into(),
        targeted: five(targeted),
        reached: five(reached),
        ..Default::default()
    }
    .parse(org, &ActivityTypes::default())
    .expect("valid activity")
    .0
}

/// The kept coverage cells equal a count from scratch, month by month, and the trend
/// equals their sums.
async fn cells_match(s: &minbar_store::Store, when: &str) {
    let trend = s.trend(&ActivityFilter::default()).await.unwrap();
    for p in s.periods().await.unwrap() {
        let f = ActivityFilter {
            period: Some(p),
            ..Default::default()
        };
        let kept = s.coverage(&f).await.unwrap();
        let scratch = s.coverage_from_scratch(&f).await.unwrap();
        assert_eq!(kept, scratch, "{when}: month {p}");
        let (n, r) = scratch
            .iter()
            .fold((0, 0), |(n, r), c| (n + c.activities, r + c.reached));
        if n > 0 {
            assert!(trend.contains(&(p, n, r)), "{when}: trend of {p}");
        }
    }
}

#[tokio::test]
async fn a_sectors_activity_types_are_kept_checked_and_stay_while_used() {
    for db in testing::all().await {
        let s = &db.store;
        let org = s.create_org(&draft(&amal())).await.unwrap();
        let wash = SectorCode::parse("wash").unwrap();
        let name = |ar: &str, en: &str| I18nText {
            ar: Some(ar.into()),
            en: Some(en.into()),
            tr: None,
        };
        let trucking = ActivityType::parse(
            wash.clone(),
            "water-trucking",
            &name("نقل المياه بالصهاريج", "Water trucking"),
        )
        .unwrap();
        s.add_activity_type(&trucking).await.unwrap();
        let kits = ActivityType::parse(
            wash.clone(),
            "hygiene-kits",
            &name("سلال النظافة", "Hygiene kits"),
        )
        .unwrap();
        s.add_activity_type(&kits).await.unwrap();
        // a taken code, or a name another type of the sector has, is refused
        let again = ActivityType::parse(wash.clone(), "water-trucking", &name("صهاريج", "Tankers"))
            .unwrap();
        let e = s.add_activity_type(&again).await.unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("code") == Some("activity_type_code_taken")),
            "{e:?}"
        );
        let same_name =
            ActivityType::parse(wash.clone(), "trucks", &name("نقل المياه بالصهاريج", "")).unwrap();
        let e = s.add_activity_type(&same_name).await.unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("name_ar") == Some("activity_type_name_taken")),
            "{e:?}"
        );
        let types = s.activity_types().await.unwrap();
        let codes: Vec<&str> = types.of("wash").map(|t| t.code.as_str()).collect();
        assert_eq!(
            codes,
            ["water-trucking", "hygiene-kits"],
            "in the order added"
        );
        // an activity written by its Arabic name keeps the code; a type off the list is refused
        let mut input = ActivityInput {
            period: "2026-03".into(),
            sector: "wash".into(),
            area: "SY-ID".into(),
            activity_type: "نقل المياة بالصهاريج".into(),
            ..Default::default()
        };
        let (d, _) = input.parse(org, &types).unwrap();
        assert_eq!(d.activity_type.as_deref(), Some("water-trucking"));
        let id = s.create_activity(&d).await.unwrap();
        input.activity_type = "توزيع خيام".into();
        assert_eq!(
            input.parse(org, &types).unwrap_err().get("activity_type"),
            Some("activity_type_unknown")
        );
        // a used type stays; an unused one goes; both leave an audit entry
        let e = s
            .remove_activity_type("wash", "water-trucking")
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("code") == Some("activity_type_in_use")),
            "{e:?}"
        );
        s.remove_activity_type("wash", "hygiene-kits")
            .await
            .unwrap();
        assert!(matches!(
            s.remove_activity_type("wash", "hygiene-kits").await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.activity_types().await.unwrap().of("wash").count(), 1);
        let log = s
            .audit_entries(&AuditFilter {
                entity: Some("activity_type".into()),
                per_page: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(log.items.len(), 3, "two added, one removed");
        s.delete_activity(id, 1).await.unwrap();
        s.remove_activity_type("wash", "water-trucking")
            .await
            .unwrap();
        db.cleanup().await;
    }
}

#[tokio::test]
async fn four_w_activities_rounds_needs_and_the_coverage_matrix() {
    for db in testing::all().await {
        let s = &db.store;
        let amal_id = s.create_org(&draft(&amal())).await.unwrap();
        let amal = amal_id;
        let mut bina_in = self::amal();
        bina_in.acronym = "BINA".into();
        bina_in.name_ar = "بناء".into();
        bina_in.name_en = "Bina".into();
        let bina = s.create_org(&draft(&bina_in)).await.unwrap();
        let p = Period::parse("2026-03").unwrap();

        // two organisations in Idlib WASH, one in Aleppo health
        let a1 = s
            .create_activity(&activity(amal, "2026-03", "wash", "SY-ID", "1000", "400"))
            .await
            .unwrap();
        s.create_activity(&activity(bina, "2026-03", "wash", "SY-ID", "500", "100"))
            .await
            .unwrap();
        s.create_activity(&activity(bina, "2026-03", "health", "SY-HL", "", "50"))
            .await
            .unwrap();
        // the same activity twice is refused, and an unknown area too
        let e = s
            .create_activity(&activity(amal, "2026-03", "wash", "SY-ID", "1", "1"))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("activity") == Some("activity_duplicate")),
            "{e:?}"
        );
        let e = s
            .create_activity(&activity(amal, "2026-03", "wash", "SY-XX", "1", "1"))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("area") == Some("area_unknown")),
            "{e:?}"
        );

        cells_match(s, "after inserts").await;
        // needs: Idlib WASH severe, Raqqa protection severe with nobody there
        for (area, sector, pin, sev) in [
            ("SY-ID", "wash", "2000", "4"),
            ("SY-RA", "protection", "800", "5"),
        ] {
            let n = NeedInput {
                area: area.into(),
                sector: sector.into(),
                period: "2026-02".into(),
                in_need: [
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    pin.into(),
                ],
                severity: sev.into(),
                source: "HNO 2026".into(),
            }
            .parse()
            .unwrap();
            assert!(s.save_need(&n).await.unwrap());
        }
        let f = ActivityFilter {
            period: Some(p),
            ..Default::default()
        };
        let m = s.coverage(&f).await.unwrap();
        let cell = |a: &str, sec: &str| m.iter().find(|c| c.area == a && c.sector == sec).cloned();
        let idlib = cell("SY-ID", "wash").unwrap();
        assert_eq!(
            (
                idlib.organisations,
                idlib.activities,
                idlib.targeted,
                idlib.reached
            ),
            (2, 2, 1500, 500)
        );
        assert_eq!(
            idlib.people_in_need,
            Some(2000),
            "needs of an earlier period carry forward"
        );
        assert_eq!(idlib.coverage(), Some(25.0));
        assert!(idlib.is_gap());
        let raqqa = cell("SY-RA", "protection").unwrap();
        assert_eq!(raqqa.activities, 0);
        assert!(raqqa.is_gap(), "a severe need with nobody working is a gap");
        assert_eq!(cell("SY-HL", "health").unwrap().people_in_need, None);

        // an edit on a stale version is a conflict; the fresh one changes the matrix
        let a = s.get_activity(a1).await.unwrap();
        let better = activity(amal, "2026-03", "wash", "SY-ID", "1000", "1400");
        s.update_activity(a1, a.version, &better).await.unwrap();
        assert!(matches!(
            s.update_activity(a1, a.version, &better).await,
            Err(StoreError::Conflict { .. })
        ));
        cells_match(s, "after an edit").await;
        let idlib = s
            .coverage(&f)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.area == "SY-ID")
            .unwrap();
        assert_eq!(idlib.reached, 1500);
        assert!(!idlib.is_gap());

        // rounds: submitting locks the period; the coordinator returns it with a comment
        assert_eq!(s.round(amal, p).await.unwrap().0, RoundState::Draft);
        s.set_round(amal, p, RoundState::Submitted, None)
            .await
            .unwrap();
        let e = s
            .create_activity(&activity(amal, "2026-03", "health", "SY-ID", "1", "1"))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("period") == Some("round_locked")),
            "{e:?}"
        );
        assert!(s.set_round(amal, p, RoundState::Draft, None).await.is_err());
        s.set_round(amal, p, RoundState::Returned, Some("check Idlib figures"))
            .await
            .unwrap();
        let (state, comment) = s.round(amal, p).await.unwrap();
        assert_eq!(
            (state, comment.as_deref()),
            (RoundState::Returned, Some("check Idlib figures"))
        );
        let rounds = s.rounds(p).await.unwrap();
        assert!(rounds
            .iter()
            .any(|(_, a, st, _)| a == "BINA" && *st == RoundState::Draft));

        // copy forward: next month starts from this month's activities, reached cleared
        let next = p.next();
        assert_eq!(s.copy_activities_forward(bina, p, next).await.unwrap(), 2);
        assert_eq!(
            s.copy_activities_forward(bina, p, next).await.unwrap(),
            0,
            "only once"
        );
        let copied = s
            .list_activities(&ActivityFilter {
                period: Some(next),
                org: Some(bina),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(copied.total, 2);
        assert!(copied.items.iter().all(|a| a.reached.total.is_none()));

        // importing the same rows twice adds nothing the second time; a bad row stops all
        let rows = vec![
            (3, activity(amal, "2026-05", "wash", "SY-ID", "10", "5")),
            (4, activity(amal, "2026-05", "health", "SY-ID", "10", "5")),
        ];
        let o = s.import_activities(&rows, false, false).await.unwrap();
        assert_eq!((o.created, o.updated, o.written), (2, 0, true));
        let o = s.import_activities(&rows, false, false).await.unwrap();
        assert_eq!((o.created, o.updated), (0, 2));
        let mut bad = rows.clone();
        bad.push((5, activity(amal, "2026-05", "education", "SY-XX", "1", "1")));
        bad.push((6, activity(amal, "2026-05", "education", "SY-ID", "1", "1")));
        let o = s.import_activities(&bad, false, false).await.unwrap();
        assert!(!o.written);
        assert_eq!(o.rejected.len(), 1);
        assert_eq!(o.rejected[0].0, 5);
        let may = ActivityFilter {
            period: Some(Period::parse("2026-05").unwrap()),
            ..Default::default()
        };
        assert_eq!(
            s.list_activities(&may).await.unwrap().total,
            2,
            "nothing half-written"
        );
        // once submitted, every row of that month is refused, not only the first
        s.set_round(amal, may.period.unwrap(), RoundState::Submitted, None)
            .await
            .unwrap();
        let o = s.import_activities(&rows, false, false).await.unwrap();
        assert_eq!(o.rejected.len(), 2);
        assert!(o
            .rejected
            .iter()
            .all(|(_, e)| e.get("period") == Some("round_locked")));
        cells_match(s, "after imports and copying forward").await;
        assert_eq!(s.trend(&ActivityFilter::default()).await.unwrap().len(), 3);
        assert!(s.periods().await.unwrap().contains(&p));
        // a moved activity leaves one cell and enters another; a deleted one leaves
        let moved = activity(amal, "2026-03", "wash", "SY-HL", "1000", "1400");
        let v = s.get_activity(a1).await.unwrap().version;
        s.set_round(amal, p, RoundState::Draft, None).await.ok();
        s.update_activity(a1, v, &moved).await.unwrap();
        cells_match(s, "after a move").await;
        let v = s.get_activity(a1).await.unwrap().version;
        s.delete_activity(a1, v).await.unwrap();
        cells_match(s, "after a delete").await;
        // deleting an organisation takes its activities out of the counts
        let v = s.get_org(bina).await.unwrap().version;
        s.delete_org(bina, v).await.unwrap();
        cells_match(s, "after an organisation is deleted").await;
        assert_eq!(s.trend(&ActivityFilter::default()).await.unwrap().len(), 1);
        db.cleanup().await;
    }
}

/// A network that reported monthly moves to quarters: the change is refused where it
/// would split a quarter or reach back over reported months; afterwards a month inside a
/// quarter is stored as the quarter (so reports of April and of May are one report), the
/// months before keep their own rounds, and stepping back from the first quarter lands on
/// the last month.
#[tokio::test]
async fn the_reporting_cycle_changes_from_a_period_nobody_reported_in() {
    for db in testing::all().await {
        let s = &db.store;
        let amal = s.create_org(&draft(&amal())).await.unwrap();
        let p = |t: &str| Period::parse(t).unwrap();
        assert_eq!(s.calendar().await.unwrap(), Calendar::monthly());
        s.create_activity(&activity(amal, "2026-03", "wash", "SY-ID", "100", "50"))
            .await
            .unwrap();
        let refused = |r: Result<Calendar, StoreError>| match r {
            Err(StoreError::Invalid(f)) => f.get("starts").map(str::to_string),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(s.set_cycle(p("2026-05"), Cycle::Quarterly).await).as_deref(),
            Some("cycle_start_invalid"),
            "{}: a quarter starts in April, not May",
            db.name
        );
        assert_eq!(
            refused(s.set_cycle(p("2026-01"), Cycle::Quarterly).await).as_deref(),
            Some("cycle_has_reports"),
            "{}: March is reported monthly already",
            db.name
        );
        assert_eq!(s.calendar().await.unwrap(), Calendar::monthly());
        let cal = s.set_cycle(p("2026-04"), Cycle::Quarterly).await.unwrap();
        assert_eq!(s.calendar().await.unwrap(), cal);
        assert_eq!(cal.label(p("2026-05")), "2026-Q2");
        assert_eq!(cal.previous(p("2026-04")), p("2026-03"));

        // April and May are the same period: the second is the same activity again
        let id = s
            .create_activity(&activity(amal, "2026-05", "wash", "SY-ID", "300", "120"))
            .await
            .unwrap();
        assert_eq!(s.get_activity(id).await.unwrap().period, p("2026-04"));
        let e = s
            .create_activity(&activity(amal, "2026-04", "wash", "SY-ID", "1", "1"))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(f) if f.get("activity") == Some("activity_duplicate")),
            "{}: {e:?}",
            db.name
        );
        // an import of June rows updates the quarter's activity, adds no other
        let out = s
            .import_activities(
                &[(2, activity(amal, "2026-06", "wash", "SY-ID", "300", "200"))],
                false,
                false,
            )
            .await
            .unwrap();
        assert_eq!((out.created, out.updated), (0, 1), "{}", db.name);
        assert_eq!(s.get_activity(id).await.unwrap().reached.total, Some(200));
        // the round is the quarter's, whichever month names it
        s.set_round(amal, p("2026-06"), RoundState::Submitted, None)
            .await
            .unwrap();
        assert_eq!(
            s.round(amal, p("2026-04")).await.unwrap().0,
            RoundState::Submitted
        );
        assert_eq!(
            s.round(amal, p("2026-03")).await.unwrap().0,
            RoundState::Draft,
            "{}: March keeps its own round",
            db.name
        );
        // copying forward into the third quarter takes the second's activities
        let n = s
            .copy_activities_forward(amal, p("2026-04"), p("2026-08"))
            .await
            .unwrap();
        assert_eq!(n, 1);
        let q3 = s
            .list_activities(&ActivityFilter {
                period: Some(p("2026-07")),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(q3.items.len(), 1, "{}", db.name);
        // the periods with data are the month and the quarters
        let periods = s.periods().await.unwrap();
        assert_eq!(
            periods,
            vec![p("2026-07"), p("2026-04"), p("2026-03")],
            "{}",
            db.name
        );
        cells_match(s, "after a change of cycle").await;
        // and the change is in the audit trail
        let audit = s
            .audit_entries(&AuditFilter {
                entity: Some("reporting_cycle".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.items.len(), 1, "{}", db.name);
        db.cleanup().await;
    }
}

fn member(acronym: &str, name_ar: &str, status: &str) -> OrgInput {
    OrgInput {
        acronym: acronym.into(),
        name_ar: name_ar.into(),
        kind: "member".into(),
        membership_status: status.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_meeting_records_attendance_minutes_decisions_and_action_items() {
    use minbar_store::meetings::{visible_codes, ActionFilter};
    for db in testing::all().await {
        let s = &db.store.acting(Who::cli());
        let amal = s
            .create_org(&draft(&member("AMAL", "جمعية الأمل", "member")))
            .await
            .unwrap();
        let gone = s
            .create_org(&draft(&member("GONE", "منظمة سابقة", "former")))
            .await
            .unwrap();
        let body = s
            .create_org(&draft(&OrgInput {
                acronym: "ARC".into(),
                name_ar: "لجنة العلاقات العربية".into(),
                kind: "partner_body".into(),
                membership_status: "not_applicable".into(),
                ..Default::default()
            }))
            .await
            .unwrap();
        let m = s
            .create_meeting(
                &MeetingDraft::parse(&MeetingInput {
                    title: "اجتماع تنسيقي".into(),
                    kind: "bilateral".into(),
                    starts: "2026-12-03T10:00".into(),
                    organisers: vec![amal.0],
                    invited: vec![body.0],
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        s.add_attendee(
            m,
            &AttendeeDraft::parse(&AttendeeInput {
                name: "د. سمير".into(),
                org_id: Some(body.0),
                role: "رئيس لجنة العلاقات العربية".into(),
                attended: true,
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
        let item = s
            .add_agenda_item(m, &Name::parse("آليات العمل المشترك").unwrap(), "")
            .await
            .unwrap();
        s.add_decision(
            m,
            &DecisionDraft::parse(&DecisionInput {
                text: "تبادل المعلومات شهرياً".into(),
                vote: "بالإجماع".into(),
                agenda_item: Some(item.0),
            })
            .unwrap(),
        )
        .await
        .unwrap();
        let action = |org: OrgId| ActionInput {
            title: "إعداد مذكرة تفاهم".into(),
            org_id: Some(org.0),
            due: "2026-12-20".into(),
            agenda_item: Some(item.0),
            ..Default::default()
        };
        // an action item for a former member is refused, nothing written
        let e = s
            .add_action(m, &ActionDraft::parse(&action(gone)).unwrap())
            .await
            .unwrap_err();
        assert!(matches!(&e, StoreError::Invalid(f) if f.get("org_id") == Some("org_not_active")));
        let a = s
            .add_action(m, &ActionDraft::parse(&action(amal)).unwrap())
            .await
            .unwrap();
        let meeting = s.get_meeting(m).await.unwrap();
        assert_eq!(meeting.organisers[0].acronym, "AMAL");
        assert_eq!(meeting.invited[0].acronym, "ARC");
        assert_eq!(meeting.attendees.len(), 1);
        assert_eq!(meeting.decisions[0].agenda_item, Some(item));
        assert_eq!(meeting.actions.len(), 1);
        // overlapping edits: the second, from the same version, is a conflict
        let v = meeting.minutes_version;
        let v2 = s
            .save_minutes(
                m,
                v,
                &MinutesText::parse("## المحضر\nالفقرة الأولى").unwrap(),
            )
            .await
            .unwrap();
        assert!(matches!(
            s.save_minutes(m, v, &MinutesText::parse("نص آخر").unwrap()).await,
            Err(StoreError::Conflict { current }) if current == v2
        ));
        assert!(s
            .get_meeting(m)
            .await
            .unwrap()
            .minutes
            .contains("الفقرة الأولى"));
        // a decision recorded wrongly is corrected, an agenda item removed (what was
        // recorded under it stays)
        let extra = s
            .add_agenda_item(m, &Name::parse("بند زائد").unwrap(), "")
            .await
            .unwrap();
        let dec = s
            .add_decision(
                m,
                &DecisionDraft::parse(&DecisionInput {
                    text: "قرار بخطأ".into(),
                    agenda_item: Some(extra.0),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let fixed = DecisionDraft::parse(&DecisionInput {
            text: "قرار مصحح".into(),
            agenda_item: Some(extra.0),
            ..Default::default()
        })
        .unwrap();
        s.update_decision(m, dec, &fixed).await.unwrap();
        s.delete_agenda_item(m, extra).await.unwrap();
        let now = s.get_meeting(m).await.unwrap();
        let d = now.decisions.iter().find(|d| d.id == dec).unwrap();
        assert_eq!((d.text.as_str(), d.agenda_item), ("قرار مصحح", None));
        s.delete_decision(m, dec).await.unwrap();
        assert_eq!(s.get_meeting(m).await.unwrap().decisions.len(), 1);
        // an action item reassigned with the version read; not to a former member
        let reassign = |org: OrgId| {
            ActionDraft::parse(&ActionInput {
                title: "إعداد مذكرة تفاهم (معدلة)".into(),
                org_id: Some(org.0),
                due: "2026-12-27".into(),
                ..Default::default()
            })
            .unwrap()
        };
        assert!(matches!(
            s.edit_action(a, 1, &reassign(gone)).await,
            Err(StoreError::Invalid(f)) if f.get("org_id") == Some("org_not_active")
        ));
        assert_eq!(s.edit_action(a, 1, &reassign(amal)).await.unwrap(), 2);
        assert!(matches!(
            s.edit_action(a, 1, &reassign(amal)).await,
            Err(StoreError::Conflict { current: 2 })
        ));
        // approval needs circulation first; approved minutes are locked
        assert!(s.move_minutes(m, MinutesState::Approved).await.is_err());
        s.move_minutes(m, MinutesState::Circulated).await.unwrap();
        s.move_minutes(m, MinutesState::Approved).await.unwrap();
        let locked = s
            .save_minutes(m, v2, &MinutesText::parse("تغيير").unwrap())
            .await
            .unwrap_err();
        assert!(
            matches!(&locked, StoreError::Invalid(f) if f.get("minutes") == Some("minutes_locked"))
        );
        assert!(s.move_minutes(m, MinutesState::Draft).await.is_err());
        // and so is the record: no decision added, corrected or removed after approval
        let first = s.get_meeting(m).await.unwrap().decisions[0].id;
        assert!(matches!(
            s.update_decision(m, first, &fixed).await,
            Err(StoreError::Invalid(f)) if f.get("minutes") == Some("minutes_locked")
        ));
        assert!(s.delete_decision(m, first).await.is_err());
        assert!(s.add_decision(m, &fixed).await.is_err());
        // an amendment is recorded beside them
        s.amend_minutes(
            m,
            v2,
            &MinutesText::parse("## المحضر\nالفقرة المعدلة").unwrap(),
            "تصحيح اسم",
        )
        .await
        .unwrap();
        let meeting = s.get_meeting(m).await.unwrap();
        assert_eq!(meeting.amendments.len(), 1);
        assert!(meeting.amendments[0].before.contains("الفقرة الأولى"));
        assert!(meeting.approved_at.is_some());
        // the action item moves along, with a stale version refused
        let v = s
            .update_action(a, 2, Some(ActionStatus::InProgress), "بدأنا")
            .await
            .unwrap();
        assert!(matches!(
            s.update_action(a, 2, Some(ActionStatus::Done), "").await,
            Err(StoreError::Conflict { .. })
        ));
        s.update_action(a, v, Some(ActionStatus::Done), "")
            .await
            .unwrap();
        let open = s
            .action_items(&ActionFilter {
                org: Some(amal),
                open_only: true,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(open.is_empty());
        let item = s.get_action(a).await.unwrap();
        assert_eq!(item.status, ActionStatus::Done);
        assert_eq!(item.comments.len(), 1);
        // visibility: members-only meetings are not listed for a visitor
        assert_eq!(
            s.list_meetings(&visible_codes(&Actor::VISITOR), 50)
                .await
                .unwrap()
                .len(),
            0
        );
        assert_eq!(s.list_meetings(&None, 50).await.unwrap().len(), 1);
        // a calendar secret finds its account; a wrong one nobody
        let u = s
            .create_user(
                &Email::parse("fp@amal.example").unwrap(),
                &Password::parse("a long enough password").unwrap(),
                Role::FocalPoint,
                Some(amal),
            )
            .await
            .unwrap();
        let token = s.new_calendar_token(u).await.unwrap();
        assert_eq!(
            s.calendar_user(&token).await.unwrap().map(|x| x.id),
            Some(u)
        );
        assert!(s.calendar_user(&"0".repeat(48)).await.unwrap().is_none());
        assert!(s.calendar_user("../../etc").await.unwrap().is_none());
        assert!(
            s.verify_audit().await.unwrap().problem.is_none(),
            "{}",
            db.name
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn proposals_are_endorsed_by_organisations_and_sealed_at_closing() {
    use minbar_core::endorsement::Outcome;
    for db in testing::all().await {
        let s = &db.store.acting(Who::cli());
        let mut orgs = Vec::new();
        for (a, n) in [("A1", "أ"), ("B2", "ب"), ("C3", "ج"), ("D4", "د")] {
            orgs.push(s.create_org(&draft(&member(a, n, "member"))).await.unwrap());
        }
        let applicant = s
            .create_org(&draft(&member("APP", "متقدمة", "applicant")))
            .await
            .unwrap();
        s.set_kind_rules(
            ProposalKind::JointPosition,
            &KindRules::parse(&RulesInput {
                quorum: "50".into(),
                threshold_kind: "more_than".into(),
                threshold: "50".into(),
                list_endorsers: true,
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
        let t0 = minbar_store::util::now();
        let p = s
            .create_proposal(&ProposalDraft {
                title: Name::parse("موقف مشترك من قرار الإقامة").unwrap(),
                body: MinutesText::parse("النص").unwrap(),
                kind: ProposalKind::JointPosition,
                meeting: None,
                agenda_item: None,
                proposers: vec![orgs[0]],
                window: minbar_core::endorsement::Window::new(t0 - 10, t0 + 3600).unwrap(),
                time_zone: "Europe/Istanbul".into(),
                visibility: Visibility::Members,
            })
            .await
            .unwrap();
        let invalid = |r: Result<(), StoreError>| match r {
            Err(StoreError::Invalid(f)) => f.get("answer").map(str::to_string),
            other => panic!("{other:?}"),
        };
        // too early, not a member
        assert_eq!(
            invalid(
                s.answer_proposal(p, orgs[0], AnswerCode::Support, "", t0 - 20)
                    .await
            )
            .as_deref(),
            Some("endorsement_not_open")
        );
        assert_eq!(
            invalid(
                s.answer_proposal(p, applicant, AnswerCode::Support, "", t0)
                    .await
            )
            .as_deref(),
            Some("not_a_member")
        );
        // A1 objects, then changes its mind; B2 supports; C3 objects
        s.answer_proposal(p, orgs[0], AnswerCode::Object, "", t0)
            .await
            .unwrap();
        s.answer_proposal(p, orgs[0], AnswerCode::Support, "بعد النقاش", t0 + 5)
            .await
            .unwrap();
        s.answer_proposal(p, orgs[1], AnswerCode::Support, "", t0)
            .await
            .unwrap();
        s.answer_proposal(p, orgs[2], AnswerCode::Object, "", t0)
            .await
            .unwrap();
        assert_eq!(s.endorsements(p).await.unwrap().len(), 3);
        assert_eq!(s.awaiting_answer(orgs[3], t0).await.unwrap().len(), 1);
        assert_eq!(s.awaiting_answer(orgs[0], t0).await.unwrap().len(), 0);
        assert_eq!(
            s.awaiting_answer(applicant, t0).await.unwrap().len(),
            0,
            "an applicant does not answer, so is not asked"
        );
        let c = s
            .comment_proposal(p, None, Some(orgs[1]), "نؤيد", t0)
            .await
            .unwrap();
        let r = s
            .comment_proposal(p, Some(c), None, "رد", t0)
            .await
            .unwrap();
        s.comment_proposal(p, Some(r), None, "رد على الرد", t0)
            .await
            .unwrap();
        let comments = s.proposal_comments(p).await.unwrap();
        assert_eq!(comments.len(), 3);
        assert!(
            comments[1..].iter().all(|x| x.parent == Some(c)),
            "one level deep"
        );
        // not sealed before closing
        assert_eq!(s.seal_due(t0 + 3599).await.unwrap(), 0);
        // at closing: 3 of 4 members answered (quorum), 2 support of 3 sided: adopted
        assert_eq!(s.seal_due(t0 + 3600).await.unwrap(), 1);
        let sealed = s.get_proposal(p).await.unwrap();
        assert_eq!(sealed.outcome, Some(Outcome::Adopted));
        let t = sealed.tally.unwrap();
        assert_eq!((t.members, t.support, t.object, t.abstain), (4, 2, 1, 0));
        // late answers are refused and the outcome does not move
        assert_eq!(
            invalid(
                s.answer_proposal(p, orgs[3], AnswerCode::Object, "", t0 + 3600)
                    .await
            )
            .as_deref(),
            Some("endorsement_closed")
        );
        assert_eq!(
            invalid(
                s.answer_proposal(p, orgs[3], AnswerCode::Object, "", t0)
                    .await
            )
            .as_deref(),
            Some("endorsement_closed"),
            "sealed: even a clock set back is refused"
        );
        assert_eq!(s.seal_due(t0 + 9999).await.unwrap(), 0);
        assert_eq!(
            s.get_proposal(p).await.unwrap().outcome,
            Some(Outcome::Adopted)
        );
        assert!(s
            .comment_proposal(p, None, None, "متأخر", t0 + 4000)
            .await
            .is_err());
        assert!(
            s.verify_audit().await.unwrap().problem.is_none(),
            "{}",
            db.name
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn library_documents_keep_every_file_version_and_who_changed_what() {
    use minbar_store::documents::{DocumentFilter, NewFile, Owner};
    use minbar_store::meetings::visible_codes;
    for db in testing::all().await {
        let s = &db.store.acting(Who::cli());
        let amal = s
            .create_org(&draft(&member("AMAL", "جمعية الأمل", "member")))
            .await
            .unwrap();
        let input = DocumentInput {
            title_ar: "دليل آلية الشكاوى".into(),
            title_en: "Complaints mechanism guide".into(),
            summary_ar: "كيف تنشئ منظمة آلية شكاوى".into(),
            body: "## الخطوات\n1. …".into(),
            org_id: Some(amal.0),
            tags: vec!["المساءلة، الشكاوى".into()],
            sector: "protection".into(),
            area: "SY-ID".into(),
            lang: "ar".into(),
            date: "2026-10-15".into(),
            visibility: "members".into(),
            ..Default::default()
        };
        let d = s
            .create_document(&DocumentDraft::parse(&input).unwrap())
            .await
            .unwrap();
        // unknown codes are refused with the field named, nothing written
        let mut bad = input.clone();
        bad.sector = "nope".into();
        match s
            .create_document(&DocumentDraft::parse(&bad).unwrap())
            .await
        {
            Err(StoreError::Invalid(e)) => assert_eq!(e.get("sector"), Some("sector_unknown")),
            other => panic!("{other:?}"),
        }
        // a tag finds its documents whatever the article or spelling
        let f = |tag: &str| DocumentFilter {
            tag: Some(tag.into()),
            ..Default::default()
        };
        assert_eq!(s.list_documents(&f("مساءلة")).await.unwrap().len(), 1);
        assert_eq!(s.list_documents(&f("الشكاوي")).await.unwrap().len(), 1);
        assert!(s.list_documents(&f("تعليم")).await.unwrap().is_empty());
        // the area filter takes the areas below; the visibility filter hides it from visitors
        let by_area = DocumentFilter {
            area: Some("SY-ID".into()),
            ..Default::default()
        };
        assert_eq!(s.list_documents(&by_area).await.unwrap().len(), 1);
        let visitor = DocumentFilter {
            visible: visible_codes(&Actor::VISITOR),
            ..Default::default()
        };
        assert!(s.list_documents(&visitor).await.unwrap().is_empty());

        // two uploads under one name: two versions, the latest shown, both kept
        let file = |bytes: &[u8], note: &str| NewFile {
            name: "guide.pdf".into(),
            kind: FileKind::Pdf,
            bytes: bytes.to_vec(),
            text: Some("complaints feedback".into()),
            text_state: TextState::Extracted,
            note: note.into(),
        };
        let first = s
            .add_attachment(Owner::Document(d), &file(b"%PDF-1.4 one", ""))
            .await
            .unwrap();
        let second = s
            .add_attachment(Owner::Document(d), &file(b"%PDF-1.4 two", "تصحيح الملحق"))
            .await
            .unwrap();
        let doc = s.get_document(d).await.unwrap();
        assert_eq!(doc.files.len(), 1);
        assert_eq!(doc.files[0].id, second);
        assert_eq!(doc.files[0].revision, 2);
        assert_eq!(
            doc.version, 3,
            "each upload moves the document's version on"
        );
        let all = s.attachments(Owner::Document(d)).await.unwrap();
        assert_eq!(
            all.iter().map(|a| a.revision).collect::<Vec<_>>(),
            vec![2, 1]
        );
        let (a, owner, bytes) = s.get_attachment(first).await.unwrap();
        assert_eq!(
            (a.revision, owner, bytes),
            (1, Owner::Document(d), b"%PDF-1.4 one".to_vec())
        );
        assert_eq!(
            s.attachment_texts(Owner::Document(d)).await.unwrap(),
            vec!["complaints feedback".to_string()]
        );

        // an edit on stale data is a conflict; a fresh one is recorded with what changed
        let mut changed = input.clone();
        changed.title_en = "Complaints and feedback mechanism guide".into();
        changed.tags = vec!["المساءلة".into()];
        let draft_changed = DocumentDraft::parse(&changed).unwrap();
        assert!(matches!(
            s.update_document(d, 1, &draft_changed).await,
            Err(StoreError::Conflict { current: 3 })
        ));
        assert_eq!(s.update_document(d, 3, &draft_changed).await.unwrap(), 4);
        let history = s.document_history(d).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["update", "upload", "upload", "create"]);
        let after: serde_json::Value =
            serde_json::from_str(history[0].after.as_deref().unwrap()).unwrap();
        assert_eq!(after["tags"], serde_json::json!(["المساءلة"]));
        assert_eq!(history[1].user_email, Who::cli().email);

        // removing it takes its files with it
        s.delete_document(d, 4).await.unwrap();
        assert!(matches!(
            s.get_attachment(second).await,
            Err(StoreError::NotFound)
        ));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn policy_items_apply_where_they_apply_and_record_advocacy() {
    use minbar_store::policy::PolicyFilter;
    for db in testing::all().await {
        let s = &db.store.acting(Who::cli());
        let pmm = s
            .create_org(&draft(&OrgInput {
                acronym: "PMM".into(),
                name_ar: "رئاسة إدارة الهجرة".into(),
                name_tr: "Göç İdaresi Başkanlığı".into(),
                kind: "authority".into(),
                membership_status: "not_applicable".into(),
                ..Default::default()
            }))
            .await
            .unwrap();
        let amal = s
            .create_org(&draft(&member("AMAL", "جمعية الأمل", "member")))
            .await
            .unwrap();
        let input = PolicyInput {
            title_ar: "تعميم بشأن أذونات السفر بين الولايات".into(),
            title_tr: "İller arası seyahat izni genelgesi".into(),
            authority_id: Some(pmm.0),
            instrument: "circular".into(),
            reference: "2026/14".into(),
            issued: "2026-10-01".into(),
            effective: "2026-10-15".into(),
            status: "in_force".into(),
            areas: vec!["TR".into()],
            groups: vec!["temporary_protection".into()],
            topics: vec!["movement".into()],
            impact: "high".into(),
            sources: vec!["https://example.gov.tr/genelge-2026-14".into()],
            ..Default::default()
        };
        // the issuing authority must be an authority of the directory
        let mut wrong = input.clone();
        wrong.authority_id = Some(amal.0);
        match s.create_policy(&PolicyDraft::parse(&wrong).unwrap()).await {
            Err(StoreError::Invalid(e)) => {
                assert_eq!(e.get("authority_id"), Some("not_an_authority"))
            }
            other => panic!("{other:?}"),
        }
        let id = s
            .create_policy(&PolicyDraft::parse(&input).unwrap())
            .await
            .unwrap();
        // a national rule shows under a province; a topic and a group filter
        let gaziantep = s.area_with_ancestors("TR-27").await.unwrap();
        assert!(gaziantep.contains(&"TR".to_string()), "{gaziantep:?}");
        let in_gaziantep = PolicyFilter {
            areas: Some(gaziantep),
            ..Default::default()
        };
        assert_eq!(s.list_policies(&in_gaziantep).await.unwrap().len(), 1);
        let in_idlib = PolicyFilter {
            areas: Some(s.area_with_ancestors("SY-ID").await.unwrap()),
            ..Default::default()
        };
        assert!(s.list_policies(&in_idlib).await.unwrap().is_empty());
        let by_topic = |t: Topic| PolicyFilter {
            topic: Some(t),
            ..Default::default()
        };
        assert_eq!(
            s.list_policies(&by_topic(Topic::Movement))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(s
            .list_policies(&by_topic(Topic::Health))
            .await
            .unwrap()
            .is_empty());

        // advocacy is recorded and audited
        s.add_advocacy(
            id,
            &AdvocacyDraft::parse(&AdvocacyInput {
                raised_with: "ولاية غازي عنتاب".into(),
                raised_on: "2026-10-20".into(),
                ask: "تمديد مهلة تقديم الطلبات".into(),
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
        let p = s.get_policy(id).await.unwrap();
        assert_eq!(p.advocacy.len(), 1);
        assert_eq!(p.authority.as_ref().unwrap().acronym, "PMM");
        assert_eq!(p.areas, vec!["TR".to_string()]);
        // a stale edit is a conflict, a fresh one applies
        let mut changed = input.clone();
        changed.status = "suspended".into();
        let d = PolicyDraft::parse(&changed).unwrap();
        assert!(matches!(
            s.update_policy(id, p.version + 5, &d).await,
            Err(StoreError::Conflict { .. })
        ));
        s.update_policy(id, p.version, &d).await.unwrap();
        assert_eq!(
            s.get_policy(id).await.unwrap().status,
            PolicyStatus::Suspended
        );
        let trail = s
            .audit_entries(&AuditFilter {
                entity: Some("policy".into()),
                entity_id: Some(id.to_string()),
                per_page: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        let actions: Vec<&str> = trail.items.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["update", "advocacy", "create"]);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_request_is_matched_with_the_best_offer_and_the_exchange_recorded() {
    use minbar_store::expertise::ExpertiseFilter;
    for db in testing::all().await {
        let s = &db.store.acting(Who::cli());
        let amal = s
            .create_org(&draft(&member("AMAL", "جمعية الأمل", "member")))
            .await
            .unwrap();
        let nour = s
            .create_org(&draft(&member("NOUR", "جمعية النور", "member")))
            .await
            .unwrap();
        let bina = s
            .create_org(&draft(&member("BINA", "جمعية البناء", "member")))
            .await
            .unwrap();
        let post = |kind: &str, org: OrgId, title: &str, topics: &str, langs: &[&str]| {
            ExpertiseDraft::parse(&ExpertiseInput {
                kind: kind.into(),
                org_id: Some(org.0),
                title: title.into(),
                sector: "protection".into(),
                topics: vec![topics.into()],
                languages: langs.iter().map(|l| l.to_string()).collect(),
                format: "online".into(),
                ..Default::default()
            })
            .unwrap()
        };
        let request = s
            .create_expertise(&post(
                "request",
                amal,
                "نحتاج مساعدة في إنشاء آلية الشكاوى",
                "آلية الشكاوى",
                &["ar"],
            ))
            .await
            .unwrap();
        let good = s
            .create_expertise(&post(
                "offer",
                nour,
                "تدريب على آليات الشكاوي والملاحظات",
                "آليات الشكاوي",
                &["ar", "tr"],
            ))
            .await
            .unwrap();
        let weaker = s
            .create_expertise(&post(
                "offer",
                bina,
                "تدريب على إدارة الحالة",
                "إدارة الحالة",
                &["ar"],
            ))
            .await
            .unwrap();
        let other_language = s
            .create_expertise(&post(
                "offer",
                bina,
                "Complaints mechanisms",
                "آلية الشكاوى",
                &["en"],
            ))
            .await
            .unwrap();
        // an organisation's own offer is never proposed for its own request
        let own = s
            .create_expertise(&post(
                "offer",
                amal,
                "آلية الشكاوى",
                "آلية الشكاوى",
                &["ar"],
            ))
            .await
            .unwrap();
        let ranked = s.expertise_matches(request, &None, 10).await.unwrap();
        let ids: Vec<ExpertiseId> = ranked.iter().map(|(e, _)| e.id).collect();
        assert_eq!(ids.first(), Some(&good), "{ranked:?}");
        assert!(ids.contains(&weaker), "same sector still counts");
        assert!(!ids.contains(&other_language), "no shared language");
        assert!(!ids.contains(&own));
        // offers see the requests they answer
        let back = s.expertise_matches(good, &None, 10).await.unwrap();
        assert_eq!(back.first().map(|(e, _)| e.id), Some(request));

        // accepting: matched once, an exchange between the two organisations
        let x = s.accept_offer(request, good).await.unwrap();
        match s.accept_offer(request, weaker).await {
            Err(StoreError::Invalid(e)) => assert_eq!(e.get("offer_id"), Some("already_matched")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            s.get_expertise(request).await.unwrap().status,
            ExpertiseStatus::Matched
        );
        let open_requests = ExpertiseFilter {
            kind: Some(ExpertiseKind::Request),
            status: Some(ExpertiseStatus::Open),
            ..Default::default()
        };
        assert!(s.list_expertise(&open_requests).await.unwrap().is_empty());
        s.record_exchange(
            x,
            &ExchangeDraft::parse(&ExchangeInput {
                held_on: "2026-11-25".into(),
                people: "12".into(),
                feedback: "مفيد جداً".into(),
            })
            .unwrap(),
        )
        .await
        .unwrap();
        let (given, received) = s.expertise_record(nour).await.unwrap();
        assert_eq!((given.len(), received.len()), (1, 0));
        assert_eq!(given[0].people, Some(12));
        assert_eq!(given[0].receiver.acronym, "AMAL");
        let (given, received) = s.expertise_record(amal).await.unwrap();
        assert_eq!((given.len(), received.len()), (0, 1));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn agenda_items_move_and_take_their_papers_with_them() {
    use minbar_store::documents::{NewFile, Owner};
    for db in testing::all().await {
        let s = &db.store.acting(Who::cli());
        let m = s
            .create_meeting(
                &MeetingDraft::parse(&MeetingInput {
                    title: "اجتماع".into(),
                    starts: "2026-12-03T10:00".into(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let mut items = Vec::new();
        for t in ["أولاً", "ثانياً", "ثالثاً"] {
            items.push(
                s.add_agenda_item(m, &Name::parse(t).unwrap(), "")
                    .await
                    .unwrap(),
            );
        }
        let order = |s: &minbar_store::Store| {
            let s = s.clone();
            async move {
                s.get_meeting(m)
                    .await
                    .unwrap()
                    .agenda
                    .iter()
                    .map(|a| a.title.clone())
                    .collect::<Vec<_>>()
            }
        };
        s.move_agenda_item(m, items[2], true).await.unwrap();
        assert_eq!(order(s).await, ["أولاً", "ثالثاً", "ثانياً"]);
        // the first cannot go higher
        s.move_agenda_item(m, items[0], true).await.unwrap();
        assert_eq!(order(s).await, ["أولاً", "ثالثاً", "ثانياً"]);
        s.move_agenda_item(m, items[0], false).await.unwrap();
        assert_eq!(order(s).await, ["ثالثاً", "أولاً", "ثانياً"]);
        // a paper goes when its item goes
        let paper = s
            .add_attachment(
                Owner::AgendaItem(items[1]),
                &NewFile {
                    name: "a.pdf".into(),
                    kind: FileKind::Pdf,
                    bytes: b"%PDF-1.4".to_vec(),
                    text: None,
                    text_state: TextState::Empty,
                    note: String::new(),
                },
            )
            .await
            .unwrap();
        assert_eq!(
            s.owner_visibility(Owner::AgendaItem(items[1]))
                .await
                .unwrap(),
            Visibility::Members
        );
        s.delete_agenda_item(m, items[1]).await.unwrap();
        assert!(matches!(
            s.get_attachment(paper).await,
            Err(StoreError::NotFound)
        ));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_upload_is_kept_for_its_owner_until_replaced_or_dropped() {
    use minbar_store::uploads::KeptUpload;
    for db in testing::all().await {
        let s = &db.store;
        let pw = Password::parse("a long enough password").unwrap();
        let mut users = Vec::new();
        for e in ["focal@example.org", "other@example.org"] {
            let email = Email::parse(e).unwrap();
            users.push(
                s.create_user(&email, &pw, Role::Coordinator, None)
                    .await
                    .unwrap(),
            );
        }
        let (focal, other) = (users[0], users[1]);
        // bytes that are not text survive the round trip
        let sheet = KeptUpload {
            kind: "activities".into(),
            name: "تقرير آذار.xlsx".into(),
            content: vec![0x50, 0x4b, 0x03, 0x04, 0, 0xff, 0xfe, 10, 13],
        };
        let token = s.keep_upload(focal, &sheet).await.unwrap();
        assert_eq!(
            s.kept_upload(focal, &token).await.unwrap(),
            Some(sheet.clone())
        );
        // another account cannot use the token
        assert_eq!(s.kept_upload(other, &token).await.unwrap(), None);
        s.drop_upload(other, &token).await.unwrap();
        assert!(s.kept_upload(focal, &token).await.unwrap().is_some());
        // a new upload replaces the old one
        let needs = KeptUpload {
            kind: "needs".into(),
            name: "needs.csv".into(),
            content: b"#adm1,#sector\n".to_vec(),
        };
        let second = s.keep_upload(focal, &needs).await.unwrap();
        assert_ne!(second, token);
        assert_eq!(s.kept_upload(focal, &token).await.unwrap(), None);
        assert_eq!(s.kept_upload(focal, &second).await.unwrap(), Some(needs));
        // once imported, it is gone
        s.drop_upload(focal, &second).await.unwrap();
        assert_eq!(s.kept_upload(focal, &second).await.unwrap(), None);
        db.cleanup().await;
    }
}
