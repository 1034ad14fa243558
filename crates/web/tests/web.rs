//! The web layer in-process (router + real database), against SQLite and, when
//! MINBAR_TEST_POSTGRES_URL is set, PostgreSQL.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use minbar_store::demo;
use minbar_store::testing::{self, TestDb};
use minbar_web::{router, AppState};
use tower::ServiceExt;

struct App {
    db: TestDb,
    router: Router,
}

struct Res {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl App {
    async fn all() -> Vec<App> {
        let mut v = Vec::new();
        for db in testing::all().await {
            demo::load(&db.store).await.unwrap();
            let router = router(AppState::new(db.store.clone()));
            v.push(App { db, router });
        }
        v
    }

    fn name(&self) -> &'static str {
        self.db.name
    }

    async fn send(&self, req: Request<Body>) -> Res {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, uri: &str, cookie: &str) -> Res {
        let mut b = Request::get(uri);
        if !cookie.is_empty() {
            b = b.header(header::COOKIE, cookie);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    async fn post_form(&self, uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Res {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            s.append_pair(k, v);
        }
        let mut b =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if !cookie.is_empty() {
            b = b.header(header::COOKIE, cookie);
        }
        self.send(b.body(Body::from(s.finish())).unwrap()).await
    }

    /// A JSON request with a session (cookie, CSRF token) and optionally `If-Match`.
    async fn json(
        &self,
        method: &str,
        uri: &str,
        session: &(String, String),
        if_match: Option<i64>,
        body: serde_json::Value,
    ) -> Res {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &session.0)
            .header("x-csrf-token", &session.1);
        if let Some(v) = if_match {
            b = b.header(header::IF_MATCH, format!("\"{v}\""));
        }
        self.send(b.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Sign in and return (cookie header, csrf token).
    async fn sign_in(&self, email: &str, password: &str) -> (String, String) {
        let res = self
            .post_form(
                "/sign-in",
                "",
                &[
                    ("email", email),
                    ("password", password),
                    ("next", "/directory"),
                ],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{}: sign-in of {email}",
            self.name()
        );
        let set = res
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        let cookie = set.split(';').next().unwrap().to_string();
        let page = self.get("/directory", &cookie).await;
        (cookie, csrf_of(&page.body))
    }

    async fn coordinator(&self) -> (String, String) {
        self.sign_in(demo::COORDINATOR_EMAIL, demo::COORDINATOR_PASSWORD)
            .await
    }
}

/// The organisation a report page is for (its form's `org` field).
fn org_of(html: &str) -> i64 {
    let needle = "name=\"org\" value=\"";
    let at = html.find(needle).expect("an org field") + needle.len();
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

fn csrf_of(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[i..i + 64].to_string()
}

fn id_from_location(res: &Res) -> String {
    let loc = res.headers.get(header::LOCATION).unwrap().to_str().unwrap();
    loc.rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn the_directory_is_arabic_and_right_to_left_until_the_reader_chooses() {
    for app in App::all().await {
        let res = app.get("/directory", "").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(
            res.body.contains(r#"<html lang="ar" dir="rtl">"#),
            "{}",
            app.name()
        );
        assert!(res.body.contains("دليل الأعضاء"));
        assert!(res.body.contains("49 منظمة"), "Arabic plural of the count");

        let en = app.get("/directory?lang=en", "").await;
        assert!(en.body.contains(r#"<html lang="en" dir="ltr">"#));
        assert!(en.body.contains("Member directory"));
        let cookie = en
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(cookie.starts_with("minbar_lang=en"));
        // the choice is remembered
        let again = app.get("/directory", "minbar_lang=en").await;
        assert!(again.body.contains(r#"dir="ltr""#));

        let tr = app
            .send(
                Request::get("/directory")
                    .header(header::ACCEPT_LANGUAGE, "tr-TR,tr;q=0.9,en;q=0.8")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(tr.body.contains(r#"<html lang="tr" dir="ltr">"#));
        assert!(tr.body.contains("Üye rehberi"));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn the_directory_filters_by_name_kind_sector_area_and_status() {
    for app in App::all().await {
        // Arabic-normalised name search: no hamza, no teh marbuta
        let res = app
            .get("/directory?q=%D8%A7%D9%84%D8%A7%D9%85%D9%84", "")
            .await; // الامل
        assert!(
            res.body.contains("جمعية الأمل") || res.body.contains("الأمل"),
            "{}",
            app.name()
        );
        let partners = app.get("/directory?kind=partner_body&lang=en", "").await;
        assert!(
            partners.body.contains("5 organisations"),
            "{}",
            partners.body.len()
        );
        let applicants = app.get("/directory?status=applicant&lang=en", "").await;
        assert!(applicants.body.contains("One organisation"));
        let idlib = app.get("/directory?area=SY-ID&lang=en", "").await;
        assert!(idlib.body.contains("organisations"));
        assert!(idlib.body.contains(r#"area n"#), "the map is drawn");
        assert!(
            idlib.body.contains("selected\" data-code=\"SY-ID\""),
            "the filtered area is outlined"
        );
        let none = app.get("/directory?q=zzzzqqq&lang=en", "").await;
        assert!(none.body.contains("No organisation matches"));
        // nonsense filters are ignored, not errors
        let odd = app.get("/directory?kind=bank&page=-4&lang=en", "").await;
        assert_eq!(odd.status, StatusCode::OK);
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn visitors_cannot_reach_forms_and_focal_points_only_edit_their_own() {
    for app in App::all().await {
        for uri in ["/organisations/new", "/organisations/1/edit"] {
            let res = app.get(uri, "").await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{} {uri}", app.name());
            assert!(!res.body.contains("name=\"acronym\""));
        }
        let res = app
            .post_form(
                "/organisations",
                "",
                &[("acronym", "EVIL"), ("name_ar", "شر"), ("kind", "member")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let evil = app.get("/api/v1/organisations?q=EVIL", "").await;
        assert!(evil.body.contains("\"total\":0"), "nothing was created");

        let (cookie, csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let own = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        let other = if own.0 == 1 { 2 } else { 1 };
        assert_eq!(
            app.get(&format!("/organisations/{own}/edit"), &cookie)
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.get(&format!("/organisations/{other}/edit"), &cookie)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get("/organisations/new", &cookie).await.status,
            StatusCode::FORBIDDEN
        );
        let res = app
            .post_form(
                &format!("/organisations/{other}"),
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("version", "1"),
                    ("acronym", "HIJACK"),
                    ("name_en", "x"),
                    ("kind", "member"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_ne!(
            app.db
                .store
                .get_org(minbar_core::OrgId(other))
                .await
                .unwrap()
                .acronym,
            "HIJACK"
        );
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn a_coordinator_creates_an_organisation_sees_errors_in_arabic_then_finds_it() {
    for app in App::all().await {
        let (cookie, csrf) = app.coordinator().await;
        let form = app.get("/organisations/new", &cookie).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("منظمة جديدة"));

        // a bad e-mail and no name: errors beside the fields, in Arabic, nothing written
        let bad = app
            .post_form(
                "/organisations",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("acronym", "NEWORG"),
                    ("kind", "member"),
                    ("email", "not-mail"),
                    ("areas", "SY-ID"),
                ],
            )
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.name()
        );
        assert!(bad.body.contains("هذا ليس عنوان بريد إلكتروني صحيحاً"));
        assert!(bad.body.contains("الاسم مطلوب"));
        assert!(bad.body.contains(r#"id="e-email""#));
        assert!(
            bad.body.contains(r#"value="NEWORG""#),
            "what was typed is kept"
        );
        assert!(
            bad.body.contains(r#"<option value="SY-ID" selected>"#),
            "selections are kept"
        );

        // a duplicate acronym is refused beside the field
        let first = app
            .db
            .store
            .list_orgs(&Default::default())
            .await
            .unwrap()
            .items[0]
            .acronym
            .clone();
        let dup = app
            .post_form(
                "/organisations",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("acronym", &first.to_lowercase()),
                    ("name_ar", "اسم"),
                    ("kind", "member"),
                ],
            )
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(dup.body.contains("هذا الاختصار مستخدم لمنظمة أخرى"));

        // a stale or missing CSRF token is refused
        let forged = app
            .post_form(
                "/organisations",
                &cookie,
                &[
                    ("csrf", "x"),
                    ("acronym", "NEWORG"),
                    ("name_ar", "اسم"),
                    ("kind", "member"),
                ],
            )
            .await;
        assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);

        let ok = app
            .post_form(
                "/organisations",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("acronym", "NEWORG"),
                    ("name_ar", "مؤسسة <b>\"الغد\"</b> للتعليم"),
                    ("name_en", "Tomorrow Foundation"),
                    ("kind", "member"),
                    ("membership_status", "applicant"),
                    ("email", "info@tomorrow.example.org"),
                    ("sectors", "education"),
                    ("sectors", "protection"),
                    ("areas", "SY-ID"),
                    ("areas", "TR-27"),
                    ("hq_area", "TR-27"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let id = id_from_location(&ok);
        let page = app.get(&format!("/organisations/{id}"), "").await;
        assert!(
            page.body
                .contains("مؤسسة &lt;b&gt;&#34;الغد&#34;&lt;/b&gt; للتعليم")
                || page
                    .body
                    .contains("مؤسسة &lt;b&gt;&quot;الغد&quot;&lt;/b&gt; للتعليم"),
            "markup is shown, escaped"
        );
        assert!(page.body.contains("التعليم"));
        assert!(page.body.contains("طلب عضوية"), "membership history");
        // found in the directory by a spelling without hamza
        let found = app
            .get("/directory?q=%D8%A7%D9%84%D8%BA%D8%AF&lang=en", "")
            .await; // الغد
        assert!(found.body.contains("Tomorrow Foundation"));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn an_edit_on_stale_data_shows_both_versions_and_overwrites_nothing() {
    for app in App::all().await {
        let (cookie, csrf) = app.coordinator().await;
        let org = app
            .db
            .store
            .list_orgs(&Default::default())
            .await
            .unwrap()
            .items[0]
            .clone();
        let edit = app
            .get(&format!("/organisations/{}/edit?lang=en", org.id), &cookie)
            .await;
        assert!(edit
            .body
            .contains(&format!(r#"name="version" value="{}""#, org.version)));
        let submit = |name: &'static str, version: i64| {
            let mut f = vec![
                ("csrf".to_string(), csrf.clone()),
                ("version".to_string(), version.to_string()),
                ("acronym".to_string(), org.acronym.clone()),
                ("name_en".to_string(), name.to_string()),
                (
                    "name_ar".to_string(),
                    org.name.ar.clone().unwrap_or_default(),
                ),
                ("kind".to_string(), org.kind.code().to_string()),
                (
                    "membership_status".to_string(),
                    org.membership_status.code().to_string(),
                ),
            ];
            for s in &org.sectors {
                f.push(("sectors".into(), s.clone()));
            }
            f
        };
        let first: Vec<(String, String)> = submit("First editor's name", org.version);
        let pairs: Vec<(&str, &str)> = first
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            app.post_form(&format!("/organisations/{}", org.id), &cookie, &pairs)
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let second = submit("Second editor's name", org.version);
        let pairs: Vec<(&str, &str)> = second
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let res = app
            .post_form(
                &format!("/organisations/{}?lang=en", org.id),
                &cookie,
                &pairs,
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", app.name());
        assert!(
            res.body.contains("Second editor&#39;s name")
                || res.body.contains("Second editor&#x27;s name")
        );
        assert!(
            res.body.contains("First editor&#39;s name")
                || res.body.contains("First editor&#x27;s name")
        );
        assert!(res.body.contains("class=\"differs\""));
        let now = app.db.store.get_org(org.id).await.unwrap();
        assert_eq!(now.name.en.as_deref(), Some("First editor's name"));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn the_api_lists_gets_creates_and_refuses_bad_input_with_stable_codes() {
    for app in App::all().await {
        let list = app
            .get("/api/v1/organisations?per_page=5&kind=member", "")
            .await;
        assert_eq!(list.status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&list.body).unwrap();
        assert_eq!(v["total"], 42, "{}", app.name());
        assert_eq!(v["per_page"], 5);
        assert_eq!(v["page"], 1);
        let item = &v["items"][0];
        for k in [
            "id",
            "acronym",
            "kind",
            "membership_status",
            "name",
            "sectors",
            "areas",
        ] {
            assert!(!item[k].is_null(), "item has {k}");
        }
        assert!(
            item["name"]["ar"].is_string()
                && item["name"]["en"].is_string()
                && item["name"]["tr"].is_string()
        );

        let sector_page = app.get("/sectors/wash?lang=en", "").await;
        assert!(sector_page.body.contains("Water, Sanitation and Hygiene"));
        assert!(
            sector_page.body.contains("المياه والصرف الصحي والنظافة"),
            "its other names"
        );
        assert_eq!(
            app.get("/sectors/astrology", "").await.status,
            StatusCode::NOT_FOUND
        );
        let sectors: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/sectors", "").await.body).unwrap();
        assert_eq!(sectors["items"][0]["code"], "cccm");
        let area: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/areas/sy-id", "").await.body).unwrap();
        assert_eq!(area["code"], "SY-ID");
        assert_eq!(area["level"], 1);
        assert_eq!(area["parent"], "SY");
        assert_eq!(area["name"]["ar"], "إدلب");

        let missing = app.get("/api/v1/organisations/999999", "").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let e: serde_json::Value = serde_json::from_str(&missing.body).unwrap();
        assert_eq!(e["error"]["code"], "not_found");
        assert_eq!(
            app.get("/api/v1/organisations?kind=bank", "").await.status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            app.get("/api/v1/organisations?colour=red", "").await.status,
            StatusCode::BAD_REQUEST
        );

        // writing needs a session and its CSRF token
        let body = r#"{"acronym":"APIORG","name_en":"Api Org","kind":"ingo","founding_year":2015,"sectors":["health"],"areas":["TR-27"]}"#;
        let post = |cookie: &str, csrf: &str, body: &str, ct: &str| {
            let mut b = Request::post("/api/v1/organisations")
                .header(header::CONTENT_TYPE, ct)
                .header(header::ACCEPT_LANGUAGE, "en");
            if !cookie.is_empty() {
                b = b
                    .header(header::COOKIE, cookie)
                    .header("x-csrf-token", csrf);
            }
            b.body(Body::from(body.to_string())).unwrap()
        };
        assert_eq!(
            app.send(post("", "", body, "application/json"))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let (cookie, csrf) = app.coordinator().await;
        assert_eq!(
            app.send(post(&cookie, "wrong", body, "application/json"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let created = app
            .send(post(&cookie, &csrf, body, "application/json"))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let o: serde_json::Value = serde_json::from_str(&created.body).unwrap();
        assert_eq!(o["founding_year"], 2015);
        let id = o["id"].as_i64().unwrap();

        for (bad, status, code) in [
            ("{not json", StatusCode::BAD_REQUEST, "malformed_json"),
            (
                r#"{"acronym":"X1","name_en":"x","kind":"ingo","colour":"red"}"#,
                StatusCode::BAD_REQUEST,
                "unknown_field",
            ),
            (
                r#"{"acronym":"X2","name_en":"","kind":"ingo"}"#,
                StatusCode::UNPROCESSABLE_ENTITY,
                "name_required",
            ),
            (
                r#"{"acronym":"APIORG","name_en":"x","kind":"ingo"}"#,
                StatusCode::UNPROCESSABLE_ENTITY,
                "acronym_taken",
            ),
            (
                r#"{"acronym":"X3","name_en":"x","kind":"ingo","areas":["SY-ZZ"]}"#,
                StatusCode::UNPROCESSABLE_ENTITY,
                "area_unknown",
            ),
        ] {
            let res = app
                .send(post(&cookie, &csrf, bad, "application/json"))
                .await;
            assert_eq!(res.status, status, "{bad}: {}", res.body);
            let e: serde_json::Value = serde_json::from_str(&res.body).unwrap();
            assert_eq!(e["error"]["code"], code, "{bad}");
            assert!(e["error"]["message"].as_str().unwrap().len() > 5);
        }
        assert_eq!(
            app.send(post(&cookie, &csrf, body, "text/plain"))
                .await
                .status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );

        // edits need If-Match; a stale one is a conflict
        let put = |version: Option<&str>, name: &str| {
            let mut b = Request::put(format!("/api/v1/organisations/{id}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &cookie)
                .header("x-csrf-token", &csrf);
            if let Some(v) = version {
                b = b.header(header::IF_MATCH, v);
            }
            b.body(Body::from(format!(
                r#"{{"acronym":"APIORG","name_en":"{name}","kind":"ingo"}}"#
            )))
            .unwrap()
        };
        assert_eq!(
            app.send(put(None, "A")).await.status,
            StatusCode::PRECONDITION_REQUIRED
        );
        let ok = app.send(put(Some("\"1\""), "Renamed")).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert_eq!(ok.headers.get(header::ETAG).unwrap(), "\"2\"");
        let stale = app.send(put(Some("\"1\""), "Stale")).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(
            app.db
                .store
                .get_org(minbar_core::OrgId(id))
                .await
                .unwrap()
                .name
                .en
                .as_deref(),
            Some("Renamed")
        );
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn contact_details_follow_their_visibility() {
    for app in App::all().await {
        let people: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/people?per_page=3", "").await.body).unwrap();
        let first = &people["items"][0];
        assert!(
            first["email"].is_null(),
            "members-only e-mail hidden from visitors"
        );
        assert!(first["phone"].is_null());
        let (cookie, _) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let seen: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/people?per_page=3", &cookie).await.body)
                .unwrap();
        assert!(
            seen["items"][0]["email"].is_string(),
            "members see members-only e-mail"
        );
        assert!(
            seen["items"][0]["phone"].is_null(),
            "coordinators-only phone stays hidden"
        );
        let (coord, _) = app.coordinator().await;
        let all: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/people?per_page=3", &coord).await.body).unwrap();
        assert!(all["items"][0]["phone"].is_string());
        // and the same on the person's page
        let pid = first["id"].as_i64().unwrap();
        let page = app.get(&format!("/people/{pid}?lang=en"), "").await;
        assert!(page
            .body
            .contains("Contact details are shown to signed-in members"));

        // a partner body's account sees what is shared with partners, not with members,
        // in the API and on the page (partners do not export; search holds no contacts)
        let e = minbar_core::Email::parse("partner@body.example").unwrap();
        let pw = minbar_core::Password::parse("a long enough password").unwrap();
        app.db
            .store
            .create_user(&e, &pw, minbar_core::Role::Partner, None)
            .await
            .unwrap();
        let (partner, _) = app
            .sign_in("partner@body.example", "a long enough password")
            .await;
        let res = app
            .json(
                "POST",
                "/api/v1/people",
                &app.coordinator().await,
                None,
                serde_json::json!({
                    "name_en": "Rania Shared", "email": "rania@shared.example",
                    "email_visibility": "partners", "phone": "+90 555 111 2233",
                    "phone_visibility": "members"
                }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let id = serde_json::from_str::<serde_json::Value>(&res.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let got: serde_json::Value = serde_json::from_str(
            &app.get(&format!("/api/v1/people/{id}"), &partner)
                .await
                .body,
        )
        .unwrap();
        assert_eq!(got["email"], "rania@shared.example", "{}", app.name());
        assert!(got["phone"].is_null(), "members-only stays with members");
        let page = app.get(&format!("/people/{id}"), &partner).await;
        assert!(page.body.contains("rania@shared.example"));
        assert!(!page.body.contains("555 111 2233"));
        let visitor = app.get(&format!("/api/v1/people/{id}"), "").await;
        assert!(!visitor.body.contains("rania@shared.example"));
        let member: serde_json::Value =
            serde_json::from_str(&app.get(&format!("/api/v1/people/{id}"), &cookie).await.body)
                .unwrap();
        assert_eq!(member["phone"], "+90 555 111 2233");
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn logos_are_checked_by_content() {
    for app in App::all().await {
        let (cookie, csrf) = app.coordinator().await;
        let upload = |bytes: Vec<u8>, filename: &str| {
            let boundary = "XyZ";
            let mut body = Vec::new();
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes());
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{filename}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
            body.extend_from_slice(&bytes);
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            Request::post("/organisations/1/logo?lang=en")
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::COOKIE, &cookie)
                .body(Body::from(body))
                .unwrap()
        };
        let fake = app
            .send(upload(b"<svg onload=alert(1)></svg>".to_vec(), "logo.png"))
            .await;
        assert_eq!(
            fake.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.name()
        );
        assert!(fake.body.contains("not a PNG, JPEG or WebP image"));
        assert_eq!(
            app.get("/organisations/1/logo", "").await.status,
            StatusCode::NOT_FOUND
        );
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&[0u8; 64]);
        let ok = app.send(upload(png.clone(), "logo.txt")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let got = app.get("/organisations/1/logo", "").await;
        assert_eq!(got.headers.get(header::CONTENT_TYPE).unwrap(), "image/png");
        // served under our name, never the uploader's, and never sniffed
        assert_eq!(
            header_str(&got, "content-disposition"),
            "inline; filename=\"logo-1.png\""
        );
        assert_eq!(header_str(&got, "x-content-type-options"), "nosniff");
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn pages_load_nothing_from_other_hosts_and_probes_answer() {
    for app in App::all().await {
        let res = app.get("/directory", "").await;
        let csp = res
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("default-src 'self'"));
        for attr in ["src=\"http", "href=\"http", "url(http"] {
            assert!(!res.body.contains(attr), "{attr}");
        }
        let css = app.get("/static/fonts.css", "").await;
        assert!(css.body.contains("IBM Plex Sans Arabic"));
        assert!(!css.body.contains("url(http"));
        let font = app
            .get(
                "/static/fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2",
                "",
            )
            .await;
        assert_eq!(font.status, StatusCode::OK);
        assert_eq!(app.get("/healthz", "").await.status, StatusCode::OK);
        assert_eq!(app.get("/readyz", "").await.body, "ready");
        let nf = app.get("/no/such/page?lang=en", "").await;
        assert_eq!(nf.status, StatusCode::NOT_FOUND);
        assert!(nf.body.contains("This page does not exist"));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn the_directory_exports_as_hxl_csv() {
    for app in App::all().await {
        assert_eq!(
            app.get("/directory/export.csv", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        let (cookie, _) = app.coordinator().await;
        let csv = app.get("/directory/export.csv?kind=member", &cookie).await;
        assert_eq!(csv.status, StatusCode::OK);
        let lines: Vec<&str> = csv.body.lines().collect();
        assert!(lines[1].starts_with("#org+acronym,#org+name+i_ar,#org+name+i_en"));
        assert_eq!(lines.len(), 2 + 42, "{}", app.name());
        // Excel: headers in the reader's language, the hashtag row kept, imports back
        let res = app
            .router
            .clone()
            .oneshot(
                Request::get("/directory/export.xlsx")
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let table = minbar_hxl::xlsx::read_excel(&bytes, &Default::default()).unwrap();
        assert_eq!(table.columns[1].header.as_deref(), Some("الاسم بالعربية"));
        assert_eq!(
            table.columns[1].tag.as_ref().unwrap().to_string(),
            "#org+name+i_ar"
        );
        assert_eq!(table.rows.len(), 49);
        let r = minbar_exchange::directory::import_organisations(
            &app.db.store,
            &bytes,
            Default::default(),
        )
        .await
        .unwrap();
        assert_eq!((r.created, r.updated, r.issues.len()), (0, 49, 0));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn coordinators_add_custom_sectors_that_appear_at_once() {
    for app in App::all().await {
        // warm the label cache, then add a sector
        assert!(!app
            .get("/directory?lang=en", "")
            .await
            .body
            .contains("Livelihoods"));
        let (cookie, csrf) = app.coordinator().await;
        let req = |body: &str, cookie: &str, csrf: &str| {
            Request::post("/api/v1/sectors")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, cookie)
                .header("x-csrf-token", csrf)
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        let body =
            r#"{"code":"livelihoods","name":{"ar":"سبل العيش","en":"Livelihoods","tr":"Geçim"}}"#;
        let (fp, fp_csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        assert_eq!(
            app.send(req(body, &fp, &fp_csrf)).await.status,
            StatusCode::FORBIDDEN
        );
        let res = app.send(req(body, &cookie, &csrf)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        assert!(app
            .get("/directory?lang=en", "")
            .await
            .body
            .contains("Livelihoods"));
        let dup = app.send(req(body, &cookie, &csrf)).await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(dup.body.contains("sector_code_taken"));
        let bad = app
            .send(req(r#"{"code":"Bad Code!","name":{}}"#, &cookie, &csrf))
            .await;
        assert!(bad.body.contains("sector_code_invalid") && bad.body.contains("name_required"));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = App::all().await.remove(0);
    let res = app.get("/api/v1/openapi.json", "").await;
    assert_eq!(res.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/organisations", &["get", "post"][..]),
        ("/organisations/{id}", &["get", "put", "delete"][..]),
        ("/people", &["get", "post"][..]),
        ("/people/{id}", &["get", "put", "delete"][..]),
        ("/sectors", &["get", "post"][..]),
        ("/areas", &["get"][..]),
        ("/areas/{code}", &["get"][..]),
        ("/activities", &["get", "post"][..]),
        ("/activities/{id}", &["get", "put"][..]),
        ("/needs", &["get", "post"][..]),
        ("/reports/coverage", &["get"][..]),
    ] {
        for m in methods {
            assert!(paths[path][m].is_object(), "{m} {path} documented");
        }
    }
    let page = app.get("/api?lang=en", "").await;
    assert!(page.body.contains("PUT /api/v1/organisations/{id}"));
    assert!(page.body.contains("If-Match"));
    let org = &doc["components"]["schemas"]["Organisation"]["properties"];
    for k in [
        "id",
        "acronym",
        "kind",
        "membership_status",
        "name",
        "sectors",
        "areas",
    ] {
        assert!(org[k].is_object(), "Organisation.{k}");
    }
    app.db.cleanup().await;
}

#[tokio::test]
async fn coordinators_import_a_member_list_and_see_every_bad_row() {
    for app in App::all().await {
        let (cookie, csrf) = app.coordinator().await;
        let upload = |file: &str, extra: &[&str], cookie: &str| {
            let boundary = "BoUnDaRy";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            );
            for e in extra {
                body.push_str(&format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{e}\"\r\n\r\n1\r\n"
                ));
            }
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"members.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
            ));
            Request::post("/directory/import?lang=en")
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::COOKIE, cookie)
                .body(Body::from(body))
                .unwrap()
        };
        let bad = "Acronym,Name,E-mail\n#org+acronym,#org+name+i_ar,#contact+email\nNEW1,منظمة جديدة,\nNEW2,,bad-mail\n";
        assert_eq!(
            app.send(upload(bad, &[], "")).await.status,
            StatusCode::UNAUTHORIZED
        );
        let res = app.send(upload(bad, &[], &cookie)).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.name()
        );
        assert!(res.body.contains("Nothing was written"));
        assert!(res.body.contains("This is not an e-mail address"));
        assert!(res.body.contains("bad-mail"));
        assert!(app
            .db
            .store
            .find_org_by_acronym("NEW1")
            .await
            .unwrap()
            .is_none());

        let res = app.send(upload(bad, &["valid_rows_only"], &cookie)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(
            res.body.contains("Imported: 1 created, 0 updated"),
            "{}",
            res.body
        );
        assert!(app
            .db
            .store
            .find_org_by_acronym("NEW1")
            .await
            .unwrap()
            .is_some());
        // it shows up in the directory at once (the map's cache was cleared)
        assert!(app
            .get("/directory?q=NEW1&lang=en", "")
            .await
            .body
            .contains("One organisation"));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn focal_points_add_and_edit_people_of_their_own_organisation_only() {
    for app in App::all().await {
        let (cookie, csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let own = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        let other = app
            .db
            .store
            .find_org_by_acronym("CSAD")
            .await
            .unwrap()
            .unwrap()
            .id;
        let org_page = app.get(&format!("/organisations/{own}"), &cookie).await;
        assert!(
            org_page.body.contains("id=\"add-person\""),
            "{}",
            app.name()
        );
        assert!(!app
            .get(&format!("/organisations/{other}"), &cookie)
            .await
            .body
            .contains("id=\"add-person\""));

        let own_s = own.0.to_string();
        let other_s = other.0.to_string();
        // errors beside the fields, in Arabic
        let bad = app
            .post_form(
                "/people",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("org_id", &own_s),
                    ("email", "nope"),
                    ("from", "2024-13-01"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("الاسم مطلوب"));
        assert!(bad.body.contains("تاريخ غير صحيح"));
        // not for another organisation
        let forbidden = app
            .post_form(
                "/people",
                &cookie,
                &[("csrf", &csrf), ("org_id", &other_s), ("name_ar", "شخص")],
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

        let ok = app
            .post_form(
                "/people",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("org_id", &own_s),
                    ("name_ar", "السيدة عائشة الدبس"),
                    ("name_en", "Aisha al-Dabs"),
                    ("title_ar", "رئيسة مجلس الإدارة"),
                    ("email", "aisha@example.org"),
                    ("email_visibility", "coordinators"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let pid = id_from_location(&ok);
        let page = app.get(&format!("/people/{pid}"), &cookie).await;
        assert!(page.body.contains("رئيسة مجلس الإدارة"));
        assert!(
            !page.body.contains("aisha@example.org"),
            "a focal point does not see coordinators-only e-mail"
        );
        let (coord, _) = app.coordinator().await;
        assert!(app
            .get(&format!("/people/{pid}"), &coord)
            .await
            .body
            .contains("aisha@example.org"));
        // found however the teh marbuta is typed
        let found = app
            .get(
                "/people?q=%D8%B9%D8%A7%D8%A6%D8%B4%D9%87+%D8%A7%D9%84%D8%AF%D8%A8%D8%B3",
                "",
            )
            .await; // عائشه الدبس: teh marbuta typed as heh
        assert!(
            found.body.contains("عائشة الدبس"),
            "{}",
            found.body.split("<main").nth(1).unwrap_or("")
        );

        // edit with the version read; a stale edit is refused and nothing is overwritten
        let edit = |name: &'static str, version: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("version", version.to_string()),
                ("name_ar", name.to_string()),
                ("org_id", own_s.clone()),
            ]
        };
        let f1 = edit("عائشة الدبس", "1");
        let pairs: Vec<(&str, &str)> = f1.iter().map(|(a, b)| (*a, b.as_str())).collect();
        assert_eq!(
            app.post_form(&format!("/people/{pid}"), &cookie, &pairs)
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let f2 = edit("اسم قديم", "1");
        let pairs: Vec<(&str, &str)> = f2.iter().map(|(a, b)| (*a, b.as_str())).collect();
        let stale = app
            .post_form(&format!("/people/{pid}"), &cookie, &pairs)
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("عدّل شخص آخر هذا السجل"));
        assert!(
            stale.body.contains("اسم قديم") && stale.body.contains("class=\"differs\""),
            "both versions shown"
        );
        let p = app
            .db
            .store
            .get_person(minbar_core::PersonId(pid.parse().unwrap()))
            .await
            .unwrap();
        assert_eq!(p.name.ar.as_deref(), Some("عائشة الدبس"));

        // a visitor can do none of it
        assert_eq!(
            app.get("/people/new", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get(&format!("/people/{pid}/edit"), "").await.status,
            StatusCode::UNAUTHORIZED
        );
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn people_are_written_over_the_api_with_versions() {
    for app in App::all().await {
        let (cookie, csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let own = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        let other = app
            .db
            .store
            .find_org_by_acronym("CSAD")
            .await
            .unwrap()
            .unwrap()
            .id;
        let send = |method: &str, uri: String, body: String, version: Option<&str>| {
            let mut b = Request::builder()
                .method(method)
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &cookie)
                .header("x-csrf-token", &csrf);
            if let Some(v) = version {
                b = b.header(header::IF_MATCH, v);
            }
            b.body(Body::from(body)).unwrap()
        };
        let theirs = format!(r#"{{"name_en":"Someone","org_id":{other}}}"#);
        assert_eq!(
            app.send(send("POST", "/api/v1/people".into(), theirs, None))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let mine = format!(
            r#"{{"name_ar":"سليمان السلامة","org_id":{own},"title_ar":"عضو مكتب العلاقات العربية"}}"#
        );
        let created = app
            .send(send("POST", "/api/v1/people".into(), mine, None))
            .await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{}: {}",
            app.name(),
            created.body
        );
        let v: serde_json::Value = serde_json::from_str(&created.body).unwrap();
        let id = v["id"].as_i64().unwrap();
        assert_eq!(
            v["affiliations"][0]["title"]["ar"],
            "عضو مكتب العلاقات العربية"
        );
        let put = |name: &str, ver: &str| {
            send(
                "PUT",
                format!("/api/v1/people/{id}"),
                format!(r#"{{"name_ar":"{name}"}}"#),
                Some(ver),
            )
        };
        assert_eq!(
            app.send(put("سليمان", "\"1\"")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.send(put("قديم", "\"1\"")).await.status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            app.send(send(
                "DELETE",
                format!("/api/v1/people/{id}"),
                String::new(),
                None
            ))
            .await
            .status,
            StatusCode::PRECONDITION_REQUIRED
        );
        assert_eq!(
            app.send(send(
                "DELETE",
                format!("/api/v1/people/{id}"),
                String::new(),
                Some("\"2\"")
            ))
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            app.get(&format!("/api/v1/people/{id}"), "").await.status,
            StatusCode::NOT_FOUND
        );
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn people_export_shows_only_what_the_reader_may_see() {
    for app in App::all().await {
        assert_eq!(
            app.get("/people/export.csv", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        let (fp, _) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let csv = app.get("/people/export.csv", &fp).await;
        assert_eq!(csv.status, StatusCode::OK, "{}", app.name());
        assert!(csv
            .body
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("#contact+name+i_ar,#contact+name+i_en,#org+acronym"));
        assert!(
            csv.body.contains("@example.org"),
            "members-only e-mail visible to a focal point"
        );
        assert!(
            !csv.body.contains("+90 5"),
            "coordinators-only phones are not"
        );
        let (coord, _) = app.coordinator().await;
        assert!(app
            .get("/people/export.csv", &coord)
            .await
            .body
            .contains("+90 5"));
        let list = app.get("/people?lang=en", &coord).await;
        assert!(list.body.contains("/people/export.xlsx"));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn search_finds_spelling_variants_new_records_and_never_contact_details() {
    for app in App::all().await {
        // the demo network has "جمعية الأمل ..." style names; typed without hamza and article
        let res = app.get("/search?q=%D8%A7%D9%85%D9%84&lang=ar", "").await; // امل
        assert_eq!(res.status, StatusCode::OK, "{}", app.name());
        assert!(res.body.contains("id=\"search-results\""), "{}", app.name());
        assert!(res.body.contains("الأمل"));
        // a place typed without Turkish letters
        let api: serde_json::Value = serde_json::from_str(
            &app.get("/api/v1/search?q=sanliurfa&type=area", "")
                .await
                .body,
        )
        .unwrap();
        assert_eq!(api["items"][0]["id"], "TR-63", "{api}");
        assert_eq!(api["items"][0]["type"], "area");
        // narrowed by sector: every hit works in it
        let wash: serde_json::Value = serde_json::from_str(&app.get("/api/v1/search?q=%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87&sector=wash&type=organisation", "").await.body).unwrap(); // المياه
        assert!(wash["total"].as_u64().unwrap() > 0, "{wash}");
        let none: serde_json::Value = serde_json::from_str(
            &app.get("/api/v1/search?q=hope&sector=logistics", "")
                .await
                .body,
        )
        .unwrap();
        assert_eq!(none["total"], 0);
        // something saved a moment ago is found at once
        let (cookie, csrf) = app.coordinator().await;
        let ok = app
            .post_form(
                "/organisations",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("acronym", "ZNB"),
                    ("name_ar", "مبادرة زنوبيا للتمكين"),
                    ("kind", "member"),
                    ("description_en", "Vocational training for young women"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let found: serde_json::Value = serde_json::from_str(
            &app.get("/api/v1/search?q=%D8%B2%D9%86%D9%88%D8%A8%D9%8A%D8%A7", "")
                .await
                .body,
        )
        .unwrap(); // زنوبيا
        assert_eq!(found["total"], 1);
        let trained: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/search?q=train&lang=en", "").await.body)
                .unwrap();
        assert!(
            trained["items"][0]["snippet"]
                .as_str()
                .unwrap()
                .contains("<mark>training</mark>"),
            "{trained}"
        );
        // contact details are never searchable
        let email: serde_json::Value = serde_json::from_str(
            &app.get("/api/v1/search?q=person1-1%40example.org", &cookie)
                .await
                .body,
        )
        .unwrap();
        assert_eq!(email["total"], 0);
        // odd input gets a page, not an error
        for q in ["", "%22%28%3A%2A", "%E2%80%8F"] {
            assert_eq!(
                app.get(&format!("/search?q={q}"), "").await.status,
                StatusCode::OK
            );
        }
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn two_processes_on_one_database_each_find_what_the_other_saved() {
    for app in App::all().await {
        // a second "process": its own store connection and its own index
        let other_store = minbar_store::Store::connect(&app.db.url).await.unwrap();
        let other = router(AppState::new(other_store.clone()));
        let first: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/search?q=hope", "").await.body).unwrap();
        assert!(first["total"].as_u64().unwrap() > 0, "{}", app.name());
        // saved through the first process...
        let (cookie, csrf) = app.coordinator().await;
        let ok = app
            .post_form(
                "/organisations",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("acronym", "TDMR"),
                    ("name_en", "Tadmur Relief Network"),
                    ("kind", "member"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        // ...found through the second
        let res = other
            .clone()
            .oneshot(
                Request::get("/api/v1/search?q=tadmur")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["total"], 1, "{}: {v}", app.name());
        other_store.close().await;
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn coordinators_add_sectors_through_a_form() {
    for app in App::all().await {
        assert_eq!(
            app.get("/sectors/new", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        let (cookie, csrf) = app.coordinator().await;
        assert!(app
            .get("/sectors?lang=en", &cookie)
            .await
            .body
            .contains("/sectors/new"));
        let bad = app
            .post_form(
                "/sectors",
                &cookie,
                &[("csrf", &csrf), ("code", "Bad Code"), ("name_ar", "")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("رمز قطاع غير صحيح") && bad.body.contains("الاسم مطلوب"));
        let ok = app
            .post_form(
                "/sectors",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("code", "livelihoods"),
                    ("name_ar", "سبل العيش"),
                    ("name_en", "Livelihoods"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", app.name());
        assert!(app
            .get("/sectors/livelihoods?lang=en", "")
            .await
            .body
            .contains("Livelihoods"));
        app.db.cleanup().await;
    }
}

/// The 4W round end to end in-process: a focal point copies last month forward, adds an
/// activity, is refused bad figures and another organisation, submits; the coordinator
/// validates; the dashboard and its downloads show the new figures.
#[tokio::test]
async fn a_focal_point_reports_a_month_and_the_coordinator_validates_it() {
    for app in App::all().await {
        assert_eq!(app.get("/4w", "").await.status, StatusCode::UNAUTHORIZED);
        let (fp, fp_csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let page = app.get("/4w/report?period=2026-12", &fp).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.name());
        assert!(page.body.contains("لم يبدأ"), "not started yet");
        let needle = "name=\"org\" value=\"";
        let at = page.body.find(needle).unwrap() + needle.len();
        let org_id: String = page.body[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let org = app
            .db
            .store
            .get_org(minbar_core::OrgId(org_id.parse().unwrap()))
            .await
            .unwrap();
        // copy November forward
        let res = app
            .post_form(
                "/4w/report/copy",
                &fp,
                &[("csrf", &fp_csrf), ("org", &org_id), ("period", "2026-12")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let copied = app
            .db
            .store
            .list_activities(&minbar_store::fourw::ActivityFilter {
                period: Some(minbar_core::Period::parse("2026-12").unwrap()),
                org: Some(org.id),
                ..Default::default()
            })
            .await
            .unwrap()
            .total;
        assert!(copied > 0, "{}: November's activities copied", app.name());
        // a new activity, first with a negative figure, then right
        let mut fields = vec![
            ("csrf", fp_csrf.as_str()),
            ("org", org_id.as_str()),
            ("period", "2026-12"),
            ("sector", "education"),
            ("area", "SY-RA"),
            ("activity_type", "تعليم غير نظامي"),
            ("status", "ongoing"),
            ("targeted.total", "400"),
            ("reached.total", "-3"),
        ];
        let res = app.post_form("/4w/activities", &fp, &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("لا يمكن أن يكون سالباً"),
            "the error in Arabic"
        );
        assert!(
            res.body.contains("تعليم غير نظامي"),
            "what was typed is kept"
        );
        fields.pop();
        fields.push(("reached.total", "٣٥٠"));
        let res = app.post_form("/4w/activities", &fp, &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // not for another organisation, whatever the form says
        fields[1] = ("org", "2");
        let res = app.post_form("/4w/activities", &fp, &fields).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // an education type under health is not on health's list
        fields[1] = ("org", org_id.as_str());
        fields[3] = ("sector", "health");
        let res = app.post_form("/4w/activities", &fp, &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("ليس من أنواع أنشطة هذا القطاع"),
            "the type off the sector's list, in Arabic"
        );
        fields[3] = ("sector", "education");
        // submit: the month is locked for the focal point
        let res = app
            .post_form(
                "/4w/report/round",
                &fp,
                &[
                    ("csrf", &fp_csrf),
                    ("org", &org_id),
                    ("period", "2026-12"),
                    ("decision", "submit"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        fields[1] = ("org", org_id.as_str());
        fields[3] = ("sector", "health");
        fields[5] = ("activity_type", "عيادة متنقلة");
        let res = app.post_form("/4w/activities", &fp, &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("أُرسل تقرير هذه الفترة"),
            "round locked, in Arabic"
        );
        // focal points do not review
        let res = app
            .post_form(
                "/4w/report/round",
                &fp,
                &[
                    ("csrf", &fp_csrf),
                    ("org", &org_id),
                    ("period", "2026-12"),
                    ("decision", "validate"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // the coordinator sees it submitted and validates it
        let (co, co_csrf) = app.coordinator().await;
        let rounds = app.get("/4w/rounds?period=2026-12&lang=en", &co).await;
        assert!(rounds
            .body
            .contains(&format!("id=\"round-{org_id}\" class=\"round-submitted\"")));
        let res = app
            .post_form(
                "/4w/report/round",
                &co,
                &[
                    ("csrf", &co_csrf),
                    ("org", &org_id),
                    ("period", "2026-12"),
                    ("decision", "validate"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let (state, _) = app
            .db
            .store
            .round(org.id, minbar_core::Period::parse("2026-12").unwrap())
            .await
            .unwrap();
        assert_eq!(state, minbar_core::RoundState::Validated);
        // the dashboard for December shows Raqqa education with 350 reached
        let dash = app
            .get("/4w?period=2026-12&sector=education&lang=en", &co)
            .await;
        assert_eq!(dash.status, StatusCode::OK);
        assert!(dash.body.contains("id=\"fw-matrix\""));
        assert!(
            dash.body
                .contains("data-area=\"SY-RA\"><span class=\"num\">350</span>"),
            "{}",
            app.name()
        );
        let csv = app
            .get(
                "/4w/charts/matrix.csv?period=2026-12&sector=education&lang=en",
                &co,
            )
            .await;
        assert!(csv.body.contains("#adm1+code"));
        assert!(csv.body.contains("2026-12,SY-RA,"), "{}", csv.body);
        let svg = app.get("/4w/charts/map.svg?period=2026-12", &co).await;
        assert_eq!(
            svg.headers.get(header::CONTENT_TYPE).unwrap(),
            "image/svg+xml"
        );
        assert!(svg
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment"));
        assert!(svg.body.contains("class=\"legend\""));
        let export = app.get("/4w/data/export.csv?period=2026-12", &co).await;
        assert!(export.body.contains("#org+acronym") && export.body.contains("SY-RA"));
        // a partner reads the dashboard but not the activities
        assert_eq!(
            app.get("/4w/data/export.csv", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        app.db.cleanup().await;
    }
}

/// The 4W API: activities listed, filtered, exported as HXL, created and updated with
/// versions; needs by coordinators only; the coverage report and its HXL form.
/// The coordinator moves the network to quarterly reports from a quarter nobody reported
/// in, through the rounds page; a start that would split a quarter or reach back over
/// reported months is refused with a reason. Afterwards the report page, its period list
/// and the API speak in quarters; a focal point cannot change the cycle.
#[tokio::test]
async fn coordinators_change_the_reporting_cycle_from_a_period_on() {
    for app in App::all().await {
        let co = app.coordinator().await;
        let page = app.get("/4w/rounds?lang=en", &co.0).await;
        assert!(page.body.contains("id=\"cycle-form\""), "{}", app.name());
        assert!(
            page.body.contains("<strong>monthly</strong>"),
            "{}",
            page.body
        );
        let change = |cycle: &'static str, from: &'static str| {
            let co = co.clone();
            let app = &app;
            async move {
                let res = app
                    .post_form(
                        "/4w/cycle",
                        &co.0,
                        &[
                            ("csrf", &co.1),
                            ("cycle", cycle),
                            ("from", from),
                            ("period", "2026-11"),
                        ],
                    )
                    .await;
                assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
                res.headers[header::LOCATION].to_str().unwrap().to_string()
            }
        };
        // November is no quarter's first month; October has reports already
        let to = change("quarterly", "2026-11").await;
        assert!(to.contains("cycle_error=cycle_start_invalid"), "{to}");
        let shown = app.get(&to.replace("#cycle", "&lang=en"), &co.0).await;
        assert!(
            shown
                .body
                .contains("a quarter in January, April, July or October"),
            "{}",
            app.name()
        );
        let to = change("quarterly", "2026-10").await;
        assert!(to.contains("cycle_error=cycle_has_reports"), "{to}");
        // from January, quarters
        let to = change("quarterly", "2027-01").await;
        assert!(to.contains("notice=cycle"), "{to}");
        let shown = app.get(&to.replace("#cycle", "&lang=en"), &co.0).await;
        assert!(shown.body.contains("The reporting cycle was changed."));
        assert!(
            shown
                .body
                .contains("quarterly from <bdi dir=\"ltr\">2027-Q1</bdi>"),
            "{}",
            shown.body
        );
        // the report page names the quarter, whichever of its months is asked for
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let report = app.get("/4w/report?period=2027-02&lang=en", &fp.0).await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(report.body.contains(">2027-Q1</bdi>"), "{}", app.name());
        assert!(report
            .body
            .contains("<option value=\"2027-01\" selected>\u{200E}2027-Q1\u{200E}</option>"));
        assert!(
            report.body.contains(">\u{200E}2026-11\u{200E}</option>"),
            "months stay months"
        );
        // the API reads quarters where the network reports them, and not before
        let ok = app
            .get("/api/v1/reports/coverage?period=2027-Q1", &fp.0)
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let bad = app
            .get("/api/v1/reports/coverage?period=2026-Q4", &fp.0)
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
        // an activity sent for February is the first quarter's; one sent for the last
        // quarter of 2026 (still monthly) cannot be placed
        let org = org_of(&report.body);
        let body = serde_json::json!({
            "org": org, "period": "2027-02", "sector": "health", "area": "SY-ID",
            "targeted": {"total": 100}, "reached": {"total": 60}
        });
        let created = app
            .json("POST", "/api/v1/activities", &fp, None, body.clone())
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert!(
            created.body.contains("\"period\":\"2027-01\""),
            "{}",
            created.body
        );
        let mut q4 = body.clone();
        q4["period"] = serde_json::json!("2026-Q4");
        let res = app.json("POST", "/api/v1/activities", &fp, None, q4).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("period_not_in_cycle"), "{}", res.body);
        // a focal point may not change it
        let res = app
            .post_form(
                "/4w/cycle",
                &fp.0,
                &[("csrf", &fp.1), ("cycle", "monthly"), ("from", "2028-01")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", app.name());
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn the_4w_api_reads_writes_and_reports_coverage() {
    for app in App::all().await {
        assert_eq!(
            app.get("/api/v1/activities", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let list = app
            .get("/api/v1/activities?period=2026-11&per_page=5", &fp.0)
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let v: serde_json::Value = serde_json::from_str(&list.body).unwrap();
        assert!(v["total"].as_i64().unwrap() > 5);
        assert_eq!(v["items"].as_array().unwrap().len(), 5);
        assert_eq!(v["items"][0]["period"], "2026-11");
        assert!(v["items"][0]["reached"]["total"].is_i64());
        assert_eq!(
            app.get("/api/v1/activities?period=November", &fp.0)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        let hxl = app
            .get("/api/v1/activities?period=2026-11&format=hxl", &fp.0)
            .await;
        assert!(hxl.body.contains("#org+acronym") && hxl.body.contains("#reached+total"));

        // a focal point records for their own organisation only
        let page = app.get("/4w/report", &fp.0).await;
        let org = org_of(&page.body);
        let body = serde_json::json!({
            "org": org, "period": "2027-01", "sector": "health", "area": "SY-ID",
            "activity_type": "عيادة متنقلة",
            "targeted": {"women": 40, "men": 30, "girls": 20, "boys": 10},
            "reached": {"total": 60}
        });
        let created = app
            .json("POST", "/api/v1/activities", &fp, None, body.clone())
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let a: serde_json::Value = serde_json::from_str(&created.body).unwrap();
        assert_eq!(
            a["targeted"]["total"], 100,
            "the total is the sum of the parts"
        );
        let id = a["id"].as_i64().unwrap();
        let again = app
            .json("POST", "/api/v1/activities", &fp, None, body.clone())
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("activity_duplicate"));
        let mut other = body.clone();
        other["org"] = serde_json::json!(org + 1);
        let res = app
            .json("POST", "/api/v1/activities", &fp, None, other)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let mut bad = body.clone();
        bad["targeted"] =
            serde_json::json!({"women": 10, "men": 10, "girls": 10, "boys": 10, "total": 5});
        bad["sector"] = serde_json::json!("education");
        let res = app.json("POST", "/api/v1/activities", &fp, None, bad).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("\"targeted.total\""), "{}", res.body);

        // update with the version read; a stale one is a conflict
        let mut changed = body.clone();
        changed["reached"] = serde_json::json!({"total": 90});
        let uri = format!("/api/v1/activities/{id}");
        assert_eq!(
            app.json("PUT", &uri, &fp, None, changed.clone())
                .await
                .status,
            StatusCode::PRECONDITION_REQUIRED
        );
        let ok = app.json("PUT", &uri, &fp, Some(1), changed.clone()).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.headers.get(header::ETAG).unwrap(), "\"2\"");
        assert_eq!(
            app.json("PUT", &uri, &fp, Some(1), changed).await.status,
            StatusCode::CONFLICT
        );

        // needs: coordinators only
        let need = serde_json::json!({"area": "SY-ID", "sector": "health", "period": "2027-01",
            "in_need": {"total": 300}, "severity": 5, "source": "test"});
        assert_eq!(
            app.json("POST", "/api/v1/needs", &fp, None, need.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let co = app.coordinator().await;
        assert_eq!(
            app.json("POST", "/api/v1/needs", &co, None, need.clone())
                .await
                .status,
            StatusCode::CREATED
        );
        assert_eq!(
            app.json("POST", "/api/v1/needs", &co, None, need)
                .await
                .status,
            StatusCode::OK
        );
        let needs: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/needs?period=2027-01", &co.0).await.body)
                .unwrap();
        assert_eq!(needs["items"].as_array().unwrap().len(), 1);

        // the coverage report
        let cov = app
            .get(
                "/api/v1/reports/coverage?period=2027-01&level=adm1&sector=health&area=SY-ID",
                &fp.0,
            )
            .await;
        assert_eq!(cov.status, StatusCode::OK, "{}", cov.body);
        let v: serde_json::Value = serde_json::from_str(&cov.body).unwrap();
        let cell = &v["items"][0];
        assert_eq!(
            (cell["area"].as_str(), cell["sector"].as_str()),
            (Some("SY-ID"), Some("health"))
        );
        assert_eq!(cell["organisations"], 1);
        assert_eq!(cell["activities"], 1);
        assert_eq!(cell["targeted"], 100);
        assert_eq!(cell["reached"], 90);
        assert_eq!(cell["people_in_need"], 300);
        assert_eq!(cell["coverage"], 30.0);
        assert_eq!(cell["gap"], true);
        let csv = app
            .get(
                "/api/v1/reports/coverage?period=2027-01&sector=health&area=SY-ID&format=hxl",
                &fp.0,
            )
            .await;
        assert!(
            csv.body.starts_with("#date+period,#adm1+code,#sector+code"),
            "{}",
            csv.body
        );
        assert!(csv
            .body
            .contains("2027-01,SY-ID,health,1,1,100,90,300,5,30,1"));
        assert_eq!(
            app.get("/api/v1/reports/coverage?level=adm3", &fp.0)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn the_secretariat_records_people_in_need_through_a_form() {
    for app in App::all().await {
        let (co, csrf) = app.coordinator().await;
        let page = app.get("/4w/needs?period=2026-06", &co).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("id=\"fw-needs\""),
            "the demo's needs are listed"
        );
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("period", "2027-02"),
            ("area", "SY-ID"),
            ("sector", "wash"),
            ("severity", "9"),
            ("in_need.total", "5000"),
        ];
        let res = app.post_form("/4w/needs", &co, &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("الشدة من ١ إلى ٥"), "the error in Arabic");
        fields[4] = ("severity", "4");
        let res = app.post_form("/4w/needs", &co, &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = app.get("/4w/needs?period=2027-02&lang=en", &co).await;
        assert!(page.body.contains("5,000"));
        let (fp, fp_csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        fields[0] = ("csrf", fp_csrf.as_str());
        assert_eq!(
            app.post_form("/4w/needs", &fp, &fields).await.status,
            StatusCode::FORBIDDEN
        );
        assert!(!app
            .get("/4w/needs", &fp)
            .await
            .body
            .contains("id=\"save-need\""));
        app.db.cleanup().await;
    }
}

/// A multipart form: (name, value) text fields and one file field.
fn multipart(fields: &[(&str, &str)], file: (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "MinbarBoundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"upload.csv\"\r\nContent-Type: text/csv\r\n\r\n", file.0).as_bytes());
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The secretariat keeps a sector's list of activity types on the sector's page: added
/// types show in every language, a refused one keeps what was typed with the reason in the
/// page's language, a type in use stays, and the report form suggests the list.
#[tokio::test]
async fn the_secretariat_keeps_each_sectors_list_of_activity_types() {
    for app in App::all().await {
        let (co, csrf) = app.coordinator().await;
        let page = app
            .get("/sectors/shelter/activity-types?lang=ar", &co)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("توزيع خيام") && page.body.contains("Tent distribution"));
        let add = |fields: Vec<(&'static str, &'static str)>| {
            let mut f = vec![("csrf", csrf.as_str())];
            f.extend(fields);
            f
        };
        let res = app
            .post_form(
                "/sectors/shelter/activity-types?lang=ar",
                &co,
                &add(vec![
                    ("code", "nfi-kits"),
                    ("name_ar", "مواد غير غذائية"),
                    ("name_en", "Non-food items"),
                ]),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let again = app
            .post_form(
                "/sectors/shelter/activity-types?lang=ar",
                &co,
                &add(vec![("code", "NFI kits!"), ("name_ar", "مواد غير غذائيه")]),
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again.body.contains("استخدم أحرفاً لاتينية صغيرة"),
            "{}",
            again.body
        );
        assert!(again.body.contains("NFI kits!"), "what was typed is kept");
        // the name another type has is reported in the same answer, and both fields are
        // marked
        assert!(
            again.body.contains("لهذا القطاع نوع بهذا الاسم مسبقاً"),
            "{}",
            again.body
        );
        assert!(again
            .body
            .contains(r#"<input id="t-code" name="code" aria-invalid="true""#));
        assert!(again
            .body
            .contains(r#"<input id="t-ar" name="name_ar" aria-invalid="true""#));
        assert!(!again
            .body
            .contains(r#"<input id="t-en" name="name_en" aria-invalid="true""#));
        let in_use = app
            .post_form(
                "/sectors/shelter/activity-types/tents/delete?lang=ar",
                &co,
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(in_use.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(in_use.body.contains("هناك أنشطة مسجلة بهذا النوع"));
        let gone = app
            .post_form(
                "/sectors/shelter/activity-types/nfi-kits/delete",
                &co,
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(gone.status, StatusCode::SEE_OTHER);
        let page = app.get("/sectors/shelter/activity-types", &co).await;
        assert!(!page.body.contains("nfi-kits"));
        // the API gives the list, so that a client can send the codes
        let api = app.get("/api/v1/sectors/shelter/activity-types", &co).await;
        assert_eq!(api.status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
        assert_eq!(v["items"][0]["code"], "tents");
        assert_eq!(v["items"][0]["name"]["en"], "Tent distribution");
        assert_eq!(v["total"], 3);
        assert_eq!(
            app.get("/api/v1/sectors/nowhere/activity-types", &co)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // the report form offers the lists, each option marked with its sector
        let (fp, _) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let report = app.get("/4w/report?lang=en", &fp).await;
        assert!(
            report
                .body
                .contains(r#"<option value="Water trucking" data-sector="wash">"#),
            "{}",
            report.body
        );
        assert!(
            app.get("/sectors/nowhere/activity-types", &co).await.status == StatusCode::NOT_FOUND
        );
    }
}

/// The value of `<input name="NAME" value="…">` in a page.
fn input_value(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &body[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The option selected in each `<select name="colN">` of the import page, in order.
fn chosen_columns(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(at) = body.find(&format!("<select id=\"col{}\"", out.len())) {
        let select = &body[at..];
        let select = &select[..select.find("</select>").unwrap()];
        let chosen = select
            .split("<option ")
            .find(|o| o.contains(" selected>"))
            .and_then(|o| o.strip_prefix("value=\""))
            .map(|o| o[..o.find('"').unwrap()].to_string())
            .unwrap_or_default();
        out.push(chosen);
    }
    out
}

/// A focal point uploads their organisation's month: the check lists what each row would
/// do, writes nothing and keeps the file with what each column was read as; the person
/// corrects a column and imports the kept file without uploading it again.
#[tokio::test]
async fn a_focal_point_checks_then_uploads_a_4w_sheet() {
    for app in App::all().await {
        let (fp, csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        // the last column's header is one Minbar does not know
        let sheet = "القطاع,المحافظة,الفترة,النشاط,العدد\nwash,إدلب,2027-03,نقل المياه بالصهاريج,120\nhealth,حلب,2027-03,عيادة متنقلة,80\n";
        let send = |fields: &[(&str, &str)], file: &[u8]| {
            let (ct, body) = multipart(fields, ("file", file));
            Request::post("/4w/import")
                .header(header::CONTENT_TYPE, ct)
                .header(header::COOKIE, &fp)
                .body(Body::from(body))
                .unwrap()
        };
        let post = |fields: &[(&str, &str)]| {
            let (ct, body) = multipart(fields, ("file", sheet.as_bytes()));
            Request::post("/4w/import")
                .header(header::CONTENT_TYPE, ct)
                .header(header::COOKIE, &fp)
                .body(Body::from(body))
                .unwrap()
        };
        let check = app
            .send(post(&[
                ("csrf", &csrf),
                ("what", "activities"),
                ("dry_run", "1"),
            ]))
            .await;
        assert_eq!(check.status, StatusCode::OK, "{}", check.body);
        assert!(check.body.contains("id=\"import-changes\""));
        assert_eq!(
            check.body.matches("سيُضاف").count(),
            2,
            "two rows would be added"
        );
        assert!(
            check.body.contains("id=\"import-mapping\""),
            "the headers were read"
        );
        let month = minbar_store::fourw::ActivityFilter {
            period: Some(minbar_core::Period::parse("2027-03").unwrap()),
            ..Default::default()
        };
        assert_eq!(app.db.store.list_activities(&month).await.unwrap().total, 0);
        // what each column was read as, offered for correction
        let mut columns = chosen_columns(&check.body);
        assert_eq!(
            columns,
            ["sector", "adm1", "period", "activity_type", ""],
            "{}",
            check.body
        );
        let token = input_value(&check.body, "upload").expect("the checked file is kept");
        let names: Vec<String> = (0..columns.len()).map(|i| format!("col{i}")).collect();
        let fields = |columns: &[String], go: &'static str| {
            let mut f: Vec<(String, String)> =
                names.iter().cloned().zip(columns.iter().cloned()).collect();
            f.extend([
                ("csrf".to_string(), csrf.clone()),
                ("upload".into(), token.clone()),
                ("go".into(), go.into()),
            ]);
            f
        };
        let call = |f: Vec<(String, String)>| {
            let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            send(&refs, b"")
        };
        // the same thing chosen for two columns is refused, and the choice is kept
        let mut twice = columns.clone();
        twice[4] = "sector".into();
        let refused = app.send(call(fields(&twice, "check"))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("عمودان يُقرآن"), "{}", refused.body);
        assert_eq!(chosen_columns(&refused.body), twice);
        // the last column is people reached: check again, then import, no second upload
        columns[4] = "reached.total".into();
        let again = app.send(call(fields(&columns, "check"))).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        assert_eq!(chosen_columns(&again.body), columns);
        assert_eq!(app.db.store.list_activities(&month).await.unwrap().total, 0);
        let done = app.send(call(fields(&columns, "import"))).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let written = app.db.store.list_activities(&month).await.unwrap();
        assert_eq!(written.total, 2);
        assert_eq!(
            written
                .items
                .iter()
                .map(|a| a.reached.total)
                .sum::<Option<i64>>(),
            Some(200),
            "the column the person chose was read"
        );
        // once imported, the file is no longer kept
        let gone = app.send(call(fields(&columns, "import"))).await;
        assert_eq!(gone.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(gone.body.contains("لم يعد الملف الذي فحصته محفوظاً"));
        // an upload without the check imports at once (the suggestions taken as they are)
        let done = app
            .send(post(&[("csrf", &csrf), ("what", "activities")]))
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(app.db.store.list_activities(&month).await.unwrap().total, 2);
        let again = app
            .send(post(&[
                ("csrf", &csrf),
                ("what", "activities"),
                ("dry_run", "1"),
            ]))
            .await;
        assert_eq!(
            again.body.matches("سيحدّث نشاطاً موجوداً").count(),
            2,
            "the same file again adds nothing"
        );
        app.db.cleanup().await;
    }
}

/// The permission test, generated from the route table: every route, every role. A role
/// the guard does not admit gets 401 (visitor) or 403 and changes nothing; a focal point
/// or member aiming at another organisation's record gets 403 and changes nothing;
/// nobody gets a server error.
#[tokio::test]
async fn every_route_refuses_every_role_it_should() {
    use minbar_core::{Action, Actor, OrgId, Role, PERMISSIONS};
    use minbar_store::accounts::{Origin, SignIn};
    for db in testing::all().await {
        demo::load(&db.store).await.unwrap();
        let (router, table) = minbar_web::router_and_table(AppState::new(db.store.clone()));
        let app = App { db, router };
        let s = &app.db.store;
        let fp = s.find_user(demo::FOCAL_POINT_EMAIL).await.unwrap().unwrap();
        let own = fp.org.unwrap();
        let orgs = s
            .list_orgs(&minbar_store::directory::OrgFilter {
                per_page: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        // another organisation with people and activities of its own
        let mut target = None;
        for o in orgs.items.iter().filter(|o| o.id != own) {
            let people = s.people_of_org(o.id).await.unwrap();
            let acts = s
                .list_activities(&minbar_store::fourw::ActivityFilter {
                    org: Some(o.id),
                    per_page: 1,
                    ..Default::default()
                })
                .await
                .unwrap();
            if let (Some(p), Some(a)) = (people.first(), acts.items.first()) {
                target = Some((o.id, p.0.id, a.id));
                break;
            }
        }
        let (other, person, activity) = target.expect("the demo has such an organisation");
        // a meeting convened by that other organisation, with an attendee, an action
        // item assigned to it, and a proposal it put forward
        let meeting = s
            .create_meeting(
                &minbar_core::MeetingDraft::parse(&minbar_core::MeetingInput {
                    title: "اجتماع".into(),
                    starts: "2026-12-03T10:00".into(),
                    organisers: vec![other.0],
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let attendee = s
            .add_attendee(
                meeting,
                &minbar_core::AttendeeDraft::parse(&minbar_core::AttendeeInput {
                    name: "ضيف".into(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let action = s
            .add_action(
                meeting,
                &minbar_core::ActionDraft::parse(&minbar_core::ActionInput {
                    title: "مهمة".into(),
                    org_id: Some(other.0),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let bulletin = s
            .create_bulletin(
                &minbar_core::BulletinDraft::parse(&minbar_core::BulletinInput {
                    title: "نشرة".into(),
                    body: "نص".into(),
                    org_id: Some(other.0),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let item = s
            .add_agenda_item(meeting, &minbar_core::Name::parse("بند").unwrap(), "")
            .await
            .unwrap();
        let decision = s
            .add_decision(
                meeting,
                &minbar_core::DecisionDraft::parse(&minbar_core::DecisionInput {
                    text: "قرار".into(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let t0 = minbar_store::util::now();
        let proposal = s
            .create_proposal(&minbar_core::ProposalDraft {
                title: minbar_core::Name::parse("مقترح").unwrap(),
                body: minbar_core::MinutesText::parse("نص").unwrap(),
                kind: minbar_core::ProposalKind::JointPosition,
                meeting: Some(meeting),
                agenda_item: None,
                proposers: vec![other],
                window: minbar_core::endorsement::Window::new(t0 - 60, t0 + 86_400).unwrap(),
                time_zone: "Europe/Istanbul".into(),
                visibility: minbar_core::Visibility::Members,
            })
            .await
            .unwrap();
        let pw = minbar_core::Password::parse("a long enough password").unwrap();
        for (email, role, org) in [
            ("member@perm.example", Role::Member, Some(own)),
            ("partner@perm.example", Role::Partner, None),
            ("admin@perm.example", Role::Admin, None),
        ] {
            let e = minbar_core::Email::parse(email).unwrap();
            s.create_user(&e, &pw, role, org).await.unwrap();
        }
        // a document of that organisation with a file
        let document = s
            .create_document(
                &minbar_core::DocumentDraft::parse(&minbar_core::DocumentInput {
                    title_ar: "وثيقة".into(),
                    org_id: Some(other.0),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let file = s
            .add_attachment(
                minbar_store::documents::Owner::Document(document),
                &minbar_exchange::files::prepare("a.pdf", b"%PDF-1.4 x".to_vec(), "").unwrap(),
            )
            .await
            .unwrap();
        let expertise = s
            .create_expertise(
                &minbar_core::ExpertiseDraft::parse(&minbar_core::ExpertiseInput {
                    kind: "request".into(),
                    org_id: Some(other.0),
                    title: "طلب".into(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let policy = s
            .list_policies(&Default::default())
            .await
            .unwrap()
            .first()
            .expect("the demo records policy items")
            .id;
        // role, organisation, (cookie, CSRF token) when signed in
        type Login = (Role, Option<OrgId>, Option<(String, String)>);
        let mut sessions: Vec<Login> = vec![(Role::Visitor, None, None)];
        for (email, password) in [
            ("member@perm.example", "a long enough password"),
            ("partner@perm.example", "a long enough password"),
            (demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD),
            (demo::COORDINATOR_EMAIL, demo::COORDINATOR_PASSWORD),
            ("admin@perm.example", "a long enough password"),
        ] {
            let SignIn::Opened(token, session) = s
                .sign_in(email, password, &Origin::default())
                .await
                .unwrap()
            else {
                panic!("{email} signs in")
            };
            sessions.push((
                session.user.role,
                session.user.org,
                Some((format!("minbar_session={token}"), session.csrf)),
            ));
        }
        let fill = |path: &str| {
            let p = path
                .replace("{format}", "export.csv")
                .replace("{file}", "export.csv")
                .replace("{code}", "SY-ID")
                .replace("{*path}", "minbar.css")
                .replace("{org}", &other.to_string())
                .replace("{attendee}", &attendee.to_string())
                .replace("{item}", &item.to_string())
                .replace("{decision}", &decision.to_string())
                .replace(
                    "{token}",
                    "0123456789abcdef0123456789abcdef0123456789abcdef.ics",
                );
            let p = if p.contains("/sectors/") {
                p.replace("SY-ID", "health")
            } else {
                p
            };
            let id = if p.contains("/people/") {
                person.to_string()
            } else if p.contains("/activities/") {
                activity.to_string()
            } else if p.starts_with("/meetings/") || p.starts_with("/api/v1/meetings/") {
                meeting.to_string()
            } else if p.starts_with("/actions/") || p.starts_with("/api/v1/action-items/") {
                action.to_string()
            } else if p.starts_with("/proposals/") || p.starts_with("/api/v1/proposals/") {
                proposal.to_string()
            } else if p.starts_with("/bulletins/") || p.starts_with("/api/v1/bulletins/") {
                bulletin.to_string()
            } else if p.starts_with("/library/") || p.starts_with("/api/v1/documents/") {
                document.to_string()
            } else if p.starts_with("/files/") || p.starts_with("/api/v1/files/") {
                file.to_string()
            } else if p.starts_with("/policy/") || p.starts_with("/api/v1/policy/") {
                policy.to_string()
            } else if p.starts_with("/expertise/") || p.starts_with("/api/v1/expertise/") {
                expertise.to_string()
            } else {
                other.to_string()
            };
            let p = p.replace("{id}", &id);
            if p.starts_with("/4w/charts/") {
                p.replace("export.csv", "matrix.csv")
            } else {
                p
            }
        };
        let mut checked = 0;
        let mut refused = 0;
        // signing out ends the session the other routes are tried with: last
        let mut ordered: Vec<_> = table.iter().collect();
        ordered.sort_by_key(|e| e.path == "/sign-out");
        for entry in ordered {
            let uri = fill(&entry.path);
            let api = uri.starts_with("/api/");
            for (role, org, session) in &sessions {
                let actor = Actor {
                    user: session.as_ref().map(|_| minbar_core::UserId(1)),
                    role: *role,
                    org: *org,
                    groups: Vec::new(),
                };
                let before = app.db.fingerprint().await;
                let mut b = Request::builder().method(entry.method.clone()).uri(&uri);
                if let Some((cookie, _)) = session {
                    b = b.header(header::COOKIE, cookie);
                }
                let body = if entry.method == axum::http::Method::GET {
                    Body::empty()
                } else if api {
                    if let Some((_, csrf)) = session {
                        b = b.header("x-csrf-token", csrf);
                    }
                    b = b.header(header::CONTENT_TYPE, "application/json");
                    Body::from("{}")
                } else {
                    b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                    let csrf = session.as_ref().map(|s| s.1.as_str()).unwrap_or("");
                    Body::from(format!("csrf={csrf}"))
                };
                let res = app.send(b.body(body).unwrap()).await;
                let what = format!("{}: {} {uri} as {}", app.name(), entry.method, role.code());
                assert!(res.status.as_u16() < 500, "{what}: {}", res.status);
                // only Own-scoped permissions for this route, aimed at another
                // organisation's record
                let own_only = match entry.guard {
                    minbar_web::routes::Guard::May(actions) => actions.iter().all(|a| {
                        PERMISSIONS
                            .iter()
                            .filter(|(r, x, _)| r == role && x == a)
                            .all(|(_, _, sc)| *sc == minbar_core::Scope::Own)
                    }),
                    _ => false,
                };
                // an answer to a proposal is aimed at the answering organisation, which
                // is always the actor's own: not at the proposal's
                let aimed = (entry.path.contains("{id}") || entry.path.contains("{org}"))
                    && !entry.path.ends_with("/answer");
                if !entry.guard.admits(&actor) {
                    let expected = if session.is_none() {
                        StatusCode::UNAUTHORIZED
                    } else {
                        StatusCode::FORBIDDEN
                    };
                    assert_eq!(res.status, expected, "{what}");
                    assert_eq!(app.db.fingerprint().await, before, "{what} changed data");
                    refused += 1;
                } else if own_only && aimed && actor.may_some(Action::DirectoryRead) {
                    assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}");
                    assert_eq!(app.db.fingerprint().await, before, "{what} changed data");
                    refused += 1;
                }
                checked += 1;
            }
        }
        println!(
            "{}: permission test checked {checked} (route, role) pairs over {} routes and {} roles; {refused} refused",
            app.name(),
            table.len(),
            sessions.len()
        );
        assert!(table.len() > 70 && checked == table.len() * 6);
        app.db.cleanup().await;
    }
}

fn header_str<'a>(res: &'a Res, name: &str) -> &'a str {
    res.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn cookie_of(res: &Res) -> String {
    header_str(res, "set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn sign_in_is_throttled_and_says_the_same_for_unknown_and_wrong() {
    for app in App::all().await {
        let try_as = |email: &'static str, pw: &'static str| {
            let app = &app;
            async move {
                app.post_form("/sign-in", "", &[("email", email), ("password", pw)])
                    .await
            }
        };
        let unknown = try_as("nobody@minbar.example", "wrong password!!").await;
        let wrong = try_as(demo::COORDINATOR_EMAIL, "wrong password!!").await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        let message = |r: &Res| {
            let i = r.body.find("id=\"sign-in-error\"").expect("an error");
            r.body[i..i + 120].to_string()
        };
        assert_eq!(message(&unknown), message(&wrong), "{}", app.name());
        for _ in 0..4 {
            try_as(demo::COORDINATOR_EMAIL, "wrong password!!").await;
        }
        // now even the right password waits, and is told how long
        let held = try_as(demo::COORDINATOR_EMAIL, demo::COORDINATOR_PASSWORD).await;
        assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.name());
        let wait: i64 = header_str(&held, "retry-after").parse().unwrap();
        assert!((1..=900).contains(&wait));
        assert!(held.body.contains("id=\"sign-in-throttled\""));
        // the focal point, from the same (unknown) address, is not held up
        app.sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn sessions_rotate_on_sign_in_are_listed_and_can_be_ended() {
    for app in App::all().await {
        let (phone, _) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        // signing in again from a browser that has a session ends that one
        let again = {
            let mut s = form_urlencoded::Serializer::new(String::new());
            s.append_pair("email", demo::FOCAL_POINT_EMAIL)
                .append_pair("password", demo::FOCAL_POINT_PASSWORD);
            let req = Request::post("/sign-in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &phone)
                .body(Body::from(s.finish()))
                .unwrap();
            app.send(req).await
        };
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        let set = header_str(&again, "set-cookie");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"));
        let laptop = cookie_of(&again);
        assert_ne!(laptop, phone);
        assert_eq!(
            app.get("/account", &phone).await.status,
            StatusCode::UNAUTHORIZED
        );
        let (tablet, _) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let page = app.get("/account", &laptop).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.name());
        assert_eq!(page.body.matches("id=\"session-").count(), 2);
        // end the tablet's session from the laptop
        let csrf = csrf_of(&page.body);
        let i = page.body.find("action=\"/account/sessions/").unwrap() + 26;
        let id = &page.body[i..i + 12];
        let res = app
            .post_form(
                &format!("/account/sessions/{id}/revoke"),
                &laptop,
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.get("/account", &tablet).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(app.get("/account", &laptop).await.status, StatusCode::OK);
        // someone else's session id is not found, whatever it is
        let res = app
            .post_form(
                "/account/sessions/0123456789ab/revoke",
                &laptop,
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn personal_tokens_are_shown_once_scoped_and_revocable() {
    for app in App::all().await {
        let (cookie, csrf) = app.coordinator().await;
        let create = |scope: &'static str| {
            let (app, cookie, csrf) = (&app, cookie.clone(), csrf.clone());
            async move {
                let res = app
                    .post_form(
                        "/account/tokens",
                        &cookie,
                        &[
                            ("csrf", &csrf),
                            ("name", "نص برمجي للتقارير"),
                            ("scope", scope),
                        ],
                    )
                    .await;
                assert_eq!(res.status, StatusCode::OK);
                let marker = "id=\"new-token-secret\">";
                let i = res.body.find(marker).unwrap() + marker.len();
                res.body[i..i + 68].to_string()
            }
        };
        let read = create("read").await;
        let write = create("write").await;
        assert!(read.starts_with("mbr_"));
        // the page never shows a secret again
        let page = app.get("/account", &cookie).await;
        assert!(!page.body.contains(&read) && !page.body.contains(&write));
        assert!(page.body.contains("نص برمجي للتقارير"));

        let bearer = |secret: &str, method: &str, uri: &str, body: &str| {
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        let listed = app
            .send(bearer(&read, "GET", "/api/v1/organisations?per_page=1", ""))
            .await;
        assert_eq!(listed.status, StatusCode::OK, "{}", app.name());
        let sector =
            r#"{"code": "legal", "name": {"ar": "المساعدة القانونية", "en": "Legal aid"}}"#;
        let refused = app
            .send(bearer(&read, "POST", "/api/v1/sectors", sector))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("token_read_only"));
        // a write token needs no CSRF header: there is no cookie to abuse
        let made = app
            .send(bearer(&write, "POST", "/api/v1/sectors", sector))
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let audit = app.get("/audit?entity=sector", &cookie).await;
        assert!(audit.body.contains("token:"), "the trail names the token");

        // revoked: refused as unknown
        let page = app.get("/account", &cookie).await;
        let i = page.body.find("action=\"/account/tokens/").unwrap() + 24;
        let id: String = page.body[i..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        app.post_form(
            &format!("/account/tokens/{id}/revoke"),
            &cookie,
            &[("csrf", &csrf)],
        )
        .await;
        let gone = app.send(bearer(&write, "GET", "/api/v1/sectors", "")).await;
        assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
        let gone = app
            .send(bearer("mbr_made-up", "GET", "/api/v1/sectors", ""))
            .await;
        assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn a_new_password_must_be_strong_and_ends_every_session() {
    for app in App::all().await {
        let (cookie, csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let change = |current: &str, new: &str, again: &str| {
            let fields = [
                ("csrf", csrf.clone()),
                ("current", current.to_string()),
                ("new", new.to_string()),
                ("again", again.to_string()),
            ];
            let (app, cookie) = (&app, cookie.clone());
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form("/account/password?lang=en", &cookie, &f)
                    .await
            }
        };
        let weak = change(demo::FOCAL_POINT_PASSWORD, "password1234", "password1234").await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(weak.body.contains("too easy to guess"), "{}", app.name());
        let strong = "olive rain over the citadel";
        let mismatch = change(demo::FOCAL_POINT_PASSWORD, strong, "olive rain").await;
        assert!(mismatch.body.contains("differ"));
        let wrong = change("not my password", strong, strong).await;
        assert!(wrong.body.contains("current password is not right"));
        let ok = change(demo::FOCAL_POINT_PASSWORD, strong, strong).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.get("/account", &cookie).await.status,
            StatusCode::UNAUTHORIZED
        );
        app.sign_in(demo::FOCAL_POINT_EMAIL, strong).await;
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn coordinators_read_filter_and_export_the_audit_trail() {
    for app in App::all().await {
        let (cookie, csrf) = app.coordinator().await;
        let res = app
            .post_form(
                "/sectors",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("code", "legal"),
                    ("name_ar", "المساعدة القانونية"),
                    ("name_en", "Legal aid"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = app
            .get("/audit?entity=sector&user=coordinator", &cookie)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("id=\"audit-holds\""));
        assert!(page.body.contains("legal"));
        assert!(page.body.contains(demo::COORDINATOR_EMAIL));
        let none = app.get("/audit?entity=sector&user=nobody", &cookie).await;
        assert!(!none.body.contains("المساعدة القانونية"));
        let csv = app.get("/audit/export.csv?entity=sector", &cookie).await;
        assert_eq!(header_str(&csv, "content-type"), "text/csv; charset=utf-8");
        let mut lines = csv.body.lines();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("id,at_utc,user_id,user_email"));
        let row = lines.next().unwrap();
        assert!(row.contains(",create,sector,legal,") && row.contains("المساعدة القانونية"));
        // focal points do not read the trail
        let (fp, _) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        assert_eq!(app.get("/audit", &fp).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get("/audit/export.csv", &fp).await.status,
            StatusCode::FORBIDDEN
        );
        // someone with the database rewrites an entry: the page says so
        app.db
            .raw("UPDATE audit_log SET after_json = '{}' WHERE entity = 'sector'")
            .await;
        let page = app.get("/audit", &cookie).await;
        assert!(page.body.contains("id=\"audit-broken\""), "{}", app.name());
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn https_deployments_get_hsts_and_secure_cookies_and_bodies_are_limited() {
    let db = testing::sqlite().await;
    demo::load(&db.store).await.unwrap();
    let app = App {
        router: router(AppState {
            secure_cookies: true,
            ..AppState::new(db.store.clone())
        }),
        db,
    };
    let page = app.get("/directory", "").await;
    assert!(header_str(&page, "strict-transport-security").starts_with("max-age="));
    assert!(header_str(&page, "content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(header_str(&page, "x-content-type-options"), "nosniff");
    let res = app
        .post_form(
            "/sign-in",
            "",
            &[
                ("email", demo::COORDINATOR_EMAIL),
                ("password", demo::COORDINATOR_PASSWORD),
            ],
        )
        .await;
    assert!(header_str(&res, "set-cookie").contains("; Secure"));
    let cookie = cookie_of(&res);
    // a form body over the limit is refused before anything reads it
    let big = "x".repeat(2 * 1024 * 1024);
    let res = app
        .post_form("/sectors", &cookie, &[("code", "big"), ("name_en", &big)])
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    // said in the reader's language, on a page; nothing saved
    assert!(res.body.contains("لم يُحفظ شيء"), "{}", res.body);
    // the API says it in JSON with a stable code, whichever way the handler reads its body
    let csrf = csrf_of(&app.get("/directory", &cookie).await.body);
    for uri in ["/api/v1/text/mentions", "/api/v1/meetings"] {
        let big_json = serde_json::json!({ "text": "م".repeat(600_000) }).to_string();
        let res = app
            .send(
                Request::post(uri)
                    .header(header::COOKIE, &cookie)
                    .header("x-csrf-token", &csrf)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(big_json))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
        assert!(
            res.body.contains("\"code\":\"body_too_large\""),
            "{uri}: {}",
            res.body
        );
    }
    let plain = router(AppState::new(app.db.store.clone()));
    let res = plain
        .oneshot(Request::get("/directory").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(res.headers().get("strict-transport-security").is_none());
    app.db.cleanup().await;
}

fn xss_corpus() -> Vec<String> {
    let text = include_str!("fixtures/xss-payloads.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Hostile text in every text field of organisations and people: stored exactly, given
/// back exactly by the API, and never in a page as markup (the browser test in
/// `tests/e2e` proves none of it runs).
#[tokio::test]
async fn hostile_text_is_kept_verbatim_and_never_becomes_markup() {
    let corpus = xss_corpus();
    assert!(corpus.len() >= 50);
    for app in App::all().await {
        let ids = testing::load_hostile_text(&app.db.store, &corpus).await;
        let (cookie, _) = app.coordinator().await;
        let escaped = |p: &str| {
            p.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#x27;")
        };
        for (p, (org, person)) in corpus.iter().zip(&ids) {
            let page = app.get(&format!("/organisations/{org}"), &cookie).await;
            assert_eq!(page.status, StatusCode::OK);
            let dangerous = p.contains('<') || p.contains('"');
            if dangerous {
                assert!(!page.body.contains(p.as_str()), "{}: raw {p}", app.name());
            }
            assert!(
                page.body.contains(&escaped(p.trim())),
                "{}: {p} is shown (escaped) on its organisation's page",
                app.name()
            );
            let page = app.get(&format!("/people/{person}"), &cookie).await;
            if dangerous {
                assert!(!page.body.contains(p.as_str()), "{}: raw {p}", app.name());
            }
            let api = app
                .get(&format!("/api/v1/organisations/{org}"), &cookie)
                .await;
            let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
            // verbatim, but for the surrounding spaces every name loses
            assert_eq!(v["name"]["ar"].as_str(), Some(p.trim()), "verbatim");
            assert_eq!(header_str(&api, "content-type"), "application/json");
        }
        let list = app.get("/directory?q=XSS&per_page=100", &cookie).await;
        for p in corpus.iter().filter(|p| p.contains('<')) {
            assert!(!list.body.contains(p.as_str()));
        }
        app.db.cleanup().await;
    }
}

/// A local SMTP server, started by the test: it accepts every message and keeps it
/// (headers and body, as sent).
async fn smtp_sink() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let (mut data, mut msg) = (false, String::new());
                while let Ok(Some(line)) = lines.next_line().await {
                    if data {
                        if line == "." {
                            data = false;
                            keep.lock().unwrap().push(std::mem::take(&mut msg));
                            w.write_all(b"250 2.0.0 queued\r\n").await.unwrap();
                        } else {
                            msg.push_str(line.strip_prefix('.').unwrap_or(&line));
                            msg.push('\n');
                        }
                        continue;
                    }
                    let reply: &[u8] = match line.to_ascii_uppercase().get(..4) {
                        Some("EHLO") => b"250-sink\r\n250 8BITMIME\r\n",
                        Some("DATA") => {
                            data = true;
                            b"354 go on\r\n"
                        }
                        Some("QUIT") => b"221 bye\r\n",
                        _ => b"250 ok\r\n",
                    };
                    w.write_all(reply).await.unwrap();
                    if reply.starts_with(b"221") {
                        break;
                    }
                }
            });
        }
    });
    (port, got)
}

/// The text of a message the sink kept: its body decoded (base64 or quoted-printable).
fn mail_text(raw: &str) -> String {
    use base64::Engine;
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    let head = head.to_ascii_lowercase();
    if head.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .unwrap();
        String::from_utf8(bytes).unwrap()
    } else if head.contains("content-transfer-encoding: quoted-printable") {
        let soft = body.replace("=\n", "");
        let mut out = Vec::new();
        let b = soft.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'=' && i + 2 < b.len() {
                out.push(u8::from_str_radix(&soft[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    } else {
        body.to_string()
    }
}

fn link_in(text: &str, base: &str) -> String {
    let i = text.find(base).expect("a link in the mail");
    text[i..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches(base)
        .to_string()
}

#[tokio::test]
async fn invitations_and_resets_go_by_smtp_and_their_links_work_once() {
    let (port, inbox) = smtp_sink().await;
    let mailer = std::sync::Arc::new(
        minbar_web::mail::Mailer::from_url(
            &format!("smtp://127.0.0.1:{port}"),
            "Minbar <minbar@minbar.example>",
        )
        .unwrap(),
    );
    for db in testing::all().await {
        demo::load(&db.store).await.unwrap();
        let state = AppState {
            mailer: Some(mailer.clone()),
            base_url: "https://minbar.example".into(),
            ..AppState::new(db.store.clone())
        };
        let app = App {
            router: router(state),
            db,
        };
        inbox.lock().unwrap().clear();
        let s = app.db.store.clone();
        let fp = s.find_user(demo::FOCAL_POINT_EMAIL).await.unwrap().unwrap();
        let org = fp.org.unwrap().to_string();
        let (cookie, csrf) = app.coordinator().await;
        let form = app.get("/invitations", &cookie).await;
        assert!(form.body.contains("value=\"coordinator\""));
        assert!(!form.body.contains("value=\"admin\""));
        let sent = app
            .post_form(
                "/invitations",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("email", "new.fp@example.org"),
                    ("role", "focal_point"),
                    ("org", &org),
                    ("lang", "ar"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", app.name());
        assert!(sent.body.contains("id=\"invite-notice\""));
        assert!(
            !sent.body.contains("/invitation/"),
            "the link goes by mail only"
        );
        assert_eq!(mailer.deliver_due(&s).await.unwrap(), 1);
        let raw = inbox
            .lock()
            .unwrap()
            .pop()
            .expect("the sink got the invitation");
        assert!(raw.contains("To: new.fp@example.org"), "{raw}");
        let text = mail_text(&raw);
        assert!(text.contains("يدعوك"), "in the language chosen: {text}");
        let path = link_in(&text, "https://minbar.example");
        assert!(path.starts_with("/invitation/"));

        let page = app.get(&path, "").await;
        assert!(page.body.contains("new.fp@example.org"));
        let weak = app
            .post_form(
                &path,
                "",
                &[("new", "password1234"), ("again", "password1234")],
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        let pw = "ninety olive trees by the river";
        let done = app
            .post_form(&path, "", &[("new", pw), ("again", pw)])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let new_cookie = cookie_of(&done);
        let account = app.get("/account", &new_cookie).await;
        assert!(
            account.body.contains("new.fp@example.org"),
            "signed in at once"
        );
        // the link is spent
        assert_eq!(app.get(&path, "").await.status, StatusCode::NOT_FOUND);
        let again = app
            .post_form(&path, "", &[("new", pw), ("again", pw)])
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);

        // a focal point invites to their own organisation only, and never a coordinator
        let (fp_cookie, fp_csrf) = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let up = app
            .post_form(
                "/invitations",
                &fp_cookie,
                &[
                    ("csrf", &fp_csrf),
                    ("email", "boss@example.org"),
                    ("role", "coordinator"),
                ],
            )
            .await;
        assert_eq!(up.status, StatusCode::FORBIDDEN);
        let other = if org == "1" { "2" } else { "1" };
        let elsewhere = app
            .post_form(
                "/invitations",
                &fp_cookie,
                &[
                    ("csrf", &fp_csrf),
                    ("email", "x@example.org"),
                    ("role", "member"),
                    ("org", other),
                ],
            )
            .await;
        assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);

        // a reset: the same answer for an unknown address; the link follows the
        // configured address even when the request claims another host
        let ask = |email: &'static str| {
            let app = &app;
            async move {
                let req = Request::post("/password-reset")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::HOST, "evil.example")
                    .body(Body::from(format!("email={email}")))
                    .unwrap();
                app.send(req).await
            }
        };
        let unknown = ask("nobody%40example.org").await;
        let known = ask("new.fp%40example.org").await;
        assert_eq!(unknown.status, StatusCode::OK);
        assert_eq!(unknown.body, known.body);
        assert_eq!(mailer.deliver_due(&s).await.unwrap(), 1);
        let raw = inbox.lock().unwrap().pop().unwrap();
        let text = mail_text(&raw);
        assert!(!text.contains("evil.example"));
        let path = link_in(&text, "https://minbar.example");
        assert!(path.starts_with("/password-reset/"));
        let new_pw = "a kettle of cardamom coffee";
        let res = app
            .post_form(&path, "", &[("new", new_pw), ("again", new_pw)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.get("/account", &new_cookie).await.status,
            StatusCode::UNAUTHORIZED,
            "a reset ends every session"
        );
        app.sign_in("new.fp@example.org", new_pw).await;
        assert_eq!(app.get(&path, "").await.status, StatusCode::NOT_FOUND);

        // a mail server that does not answer: the message waits for the next try
        s.queue_mail("someone@example.org", "subject", "body")
            .await
            .unwrap();
        let dead =
            minbar_web::mail::Mailer::from_url("smtp://127.0.0.1:9", "m@minbar.example").unwrap();
        assert_eq!(dead.deliver_due(&s).await.unwrap(), 0);
        assert_eq!(s.mail_waiting().await.unwrap(), 1);
        app.db.cleanup().await;
    }
}

/// What schemathesis found, kept found: extreme page numbers and references to nothing
/// answer in the API's terms instead of crashing or answering 500.
#[tokio::test]
async fn extreme_numbers_and_dangling_references_get_answers_not_crashes() {
    for app in App::all().await {
        let session = app.coordinator().await;
        for uri in [
            "/api/v1/organisations?page=9223372036854775807&per_page=200",
            "/api/v1/people?page=9223372036854775807",
            "/api/v1/activities?page=9223372036854775806&per_page=-9223372036854775808&org=-9223372036854775808",
            "/api/v1/search?q=hope&page=106479359",
            "/audit?page=9223372036854775807",
        ] {
            let res = app.get(uri, &session.0).await;
            assert_eq!(res.status, StatusCode::OK, "{}: {uri}: {}", app.name(), res.body);
        }
        let res = app
            .json(
                "POST",
                "/api/v1/activities",
                &session,
                None,
                serde_json::json!({"area": "SY-HA", "org": 0, "period": "2026-06", "sector": "education"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("reference_unknown"));
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn an_admin_requires_two_factor_and_coordinators_set_it_up_before_anything_else() {
    use minbar_core::totp;
    for app in App::all().await {
        let s = app.db.store.clone();
        let e = minbar_core::Email::parse("admin@2fa.example").unwrap();
        let pw = minbar_core::Password::parse("a long enough password").unwrap();
        s.create_user(&e, &pw, minbar_core::Role::Admin, None)
            .await
            .unwrap();
        let (admin, admin_csrf) = app
            .sign_in("admin@2fa.example", "a long enough password")
            .await;
        let res = app
            .post_form(
                "/account/two-factor/roles",
                &admin,
                &[("csrf", &admin_csrf), ("role", "coordinator")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", app.name());

        // the coordinator's next request goes to setting it up, and nowhere else
        let res = app
            .post_form(
                "/sign-in",
                "",
                &[
                    ("email", demo::COORDINATOR_EMAIL),
                    ("password", demo::COORDINATOR_PASSWORD),
                ],
            )
            .await;
        let coord = cookie_of(&res);
        let dir = app.get("/directory", &coord).await;
        assert_eq!(dir.status, StatusCode::SEE_OTHER);
        assert_eq!(header_str(&dir, "location"), "/account");
        let api = app.get("/api/v1/organisations", &coord).await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        assert!(api.body.contains("two_factor_required"));
        let page = app.get("/account", &coord).await;
        assert!(page.body.contains("id=\"must-enroll\""));
        let csrf = csrf_of(&page.body);
        let page = app
            .post_form("/account/two-factor/start", &coord, &[("csrf", &csrf)])
            .await;
        assert!(page.body.contains("<svg"), "a QR code to scan");
        let marker = "id=\"two-factor-secret\">";
        let i = page.body.find(marker).unwrap() + marker.len();
        let key: String = page.body[i..].chars().take_while(|c| *c != '<').collect();
        let secret = totp::from_base32(&key).unwrap();
        let now = minbar_store::util::now();
        let code = |step: i64| format!("{:06}", totp::code_at(&secret, step));
        let res = app
            .post_form(
                "/account/two-factor/confirm",
                &coord,
                &[("csrf", &csrf), ("code", &code(totp::step_of(now)))],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/directory", &coord).await.status, StatusCode::OK);

        // signing in now takes two steps
        let first = app
            .post_form(
                "/sign-in",
                "",
                &[
                    ("email", demo::COORDINATOR_EMAIL),
                    ("password", demo::COORDINATOR_PASSWORD),
                ],
            )
            .await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(first.body.contains("id=\"code-form\""));
        let challenge = cookie_of(&first);
        assert!(challenge.starts_with("minbar_mfa="));
        assert!(header_str(&first, "set-cookie").contains("Path=/sign-in"));
        let wrong = app
            .post_form("/sign-in/code", &challenge, &[("code", "12")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("id=\"code-form\""), "another try");
        // Arabic-Indic digits are read too
        let next = code(totp::step_of(now) + 1);
        let arabic: String = next
            .chars()
            .map(|c| char::from_u32('٠' as u32 + c.to_digit(10).unwrap()).unwrap())
            .collect();
        let ok = app
            .post_form("/sign-in/code", &challenge, &[("code", &arabic)])
            .await;
        assert_eq!(
            ok.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            app.name(),
            ok.body
        );
        let session = cookie_of(&ok);
        assert!(session.starts_with("minbar_session="));
        assert_eq!(app.get("/account", &session).await.status, StatusCode::OK);
        // the challenge is spent
        let again = app
            .post_form("/sign-in/code", &challenge, &[("code", &next)])
            .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        assert!(
            !again.body.contains("id=\"code-form\""),
            "back to the password"
        );
        app.db.cleanup().await;
    }
}

/// A contact detail shown to a named group: its members and the secretariat see it;
/// other members and partners do not, in the API and on the page.
#[tokio::test]
async fn a_contact_shown_to_a_named_group_reaches_that_group_only() {
    for app in App::all().await {
        let s = app.db.store.clone();
        let pw = minbar_core::Password::parse("a long enough password").unwrap();
        let fp = s.find_user(demo::FOCAL_POINT_EMAIL).await.unwrap().unwrap();
        for email in ["inside@wg.example", "outside@wg.example"] {
            let e = minbar_core::Email::parse(email).unwrap();
            s.create_user(&e, &pw, minbar_core::Role::Member, fp.org)
                .await
                .unwrap();
        }
        let coord = app.coordinator().await;
        let res = app
            .post_form(
                "/groups",
                &coord.0,
                &[("csrf", &coord.1), ("name", "فريق عمل الحماية")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = app.get("/groups", &coord.0).await;
        let i = page.body.find("id=\"group-").unwrap() + 10;
        let gid: String = page.body[i..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let res = app
            .post_form(
                &format!("/groups/{gid}/members"),
                &coord.0,
                &[("csrf", &coord.1), ("email", "inside@wg.example")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // a group that does not exist is refused
        let bad = app
            .json(
                "POST",
                "/api/v1/people",
                &coord,
                None,
                serde_json::json!({"name_en": "X", "email": "x@x.example", "email_visibility": "group:99999"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("group_unknown"));
        let res = app
            .json(
                "POST",
                "/api/v1/people",
                &coord,
                None,
                serde_json::json!({
                    "name_en": "Huda WG", "email": "huda@wg.example",
                    "email_visibility": format!("group:{gid}")
                }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        let id = v["id"].as_i64().unwrap();
        let (inside, _) = app
            .sign_in("inside@wg.example", "a long enough password")
            .await;
        let (outside, _) = app
            .sign_in("outside@wg.example", "a long enough password")
            .await;
        for (who, sees) in [
            (&inside, true),
            (&outside, false),
            (&coord.0, true),
            (&String::new(), false),
        ] {
            let api = app.get(&format!("/api/v1/people/{id}"), who).await;
            assert_eq!(
                api.body.contains("huda@wg.example"),
                sees,
                "{}: {who}",
                app.name()
            );
            let page = app.get(&format!("/people/{id}"), who).await;
            assert_eq!(page.body.contains("huda@wg.example"), sees);
        }
        let page = app.get(&format!("/people/{id}?lang=ar"), &inside).await;
        assert!(
            page.body.contains("مجموعة: فريق عمل الحماية"),
            "the group is named"
        );
        // out of the group, out of sight
        let inside_id = s.find_user("inside@wg.example").await.unwrap().unwrap().id;
        let res = app
            .post_form(
                &format!("/groups/{gid}/members/{}/remove", inside_id.0),
                &coord.0,
                &[("csrf", &coord.1)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let api = app.get(&format!("/api/v1/people/{id}"), &inside).await;
        assert!(!api.body.contains("huda@wg.example"));
        app.db.cleanup().await;
    }
}

/// The meeting report the project grew from, pasted into the API: the bodies and people
/// it names are found once they are in the directory, with character offsets.
#[tokio::test]
async fn the_names_in_the_meeting_report_are_found_in_the_directory() {
    let report = include_str!("fixtures/meeting-report.ar.txt");
    for app in App::all().await {
        let coord = app.coordinator().await;
        let org = |acronym: &str, ar: &str| {
            serde_json::json!({"acronym": acronym, "name_ar": ar, "kind": "partner_body",
                "membership_status": "not_applicable"})
        };
        for body in [
            org("SOC", "الائتلاف الوطني السوري"),
            org("MJS", "منبر الجمعيات السورية"),
        ] {
            let res = app
                .json("POST", "/api/v1/organisations", &coord, None, body)
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        }
        for name in ["عائشة الدبس", "راتب الدبس", "كفاح مراد"] {
            let res = app
                .json(
                    "POST",
                    "/api/v1/people",
                    &coord,
                    None,
                    serde_json::json!({ "name_ar": name }),
                )
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        }
        let res = app
            .json(
                "POST",
                "/api/v1/text/mentions",
                &coord,
                None,
                serde_json::json!({ "text": report }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        let items = v["items"].as_array().unwrap();
        let chars: Vec<char> = report.chars().collect();
        for m in items {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                chars[s..e].iter().collect::<String>(),
                m["surface"].as_str().unwrap(),
                "offsets are characters"
            );
        }
        let surfaces: Vec<&str> = items
            .iter()
            .map(|m| m["surface"].as_str().unwrap())
            .collect();
        for expected in [
            "الائتلاف الوطني السوري",
            "منبر الجمعيات السورية",
            "كفاح مراد",
            "عائشة الدبس",
            "راتب الدبس",
        ] {
            assert!(
                surfaces.contains(&expected),
                "{}: {expected} in {surfaces:?}",
                app.name()
            );
        }
        // and the places it names that the gazetteer knows
        assert!(items
            .iter()
            .any(|m| m["type"] == "area" && m["surface"] == "تركيا"));
        // bad input answers in our terms
        let res = app
            .json(
                "POST",
                "/api/v1/text/mentions",
                &coord,
                None,
                serde_json::json!({"txt": "x"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn meetings_and_proposals_over_the_api_with_conflicts_locks_and_visibility() {
    for app in App::all().await {
        let co = app.coordinator().await;
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let fp_org = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        // visitors do not see meetings
        assert_eq!(
            app.get("/api/v1/meetings", "").await.status,
            StatusCode::UNAUTHORIZED
        );
        // bad input: a meeting ending before it starts, an unknown kind
        let bad = app
            .json("POST", "/api/v1/meetings", &co, None, serde_json::json!({
                "title": "اجتماع", "kind": "party", "starts": "2026-12-03T10:00", "ends": "2026-12-03T09:00"
            }))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("end_before_start") && bad.body.contains("meeting_kind_invalid"));
        let unknown = app
            .json(
                "POST",
                "/api/v1/meetings",
                &co,
                None,
                serde_json::json!({
                    "title": "اجتماع", "starts": "2026-12-03T10:00", "organisers": [987654]
                }),
            )
            .await;
        assert_eq!(
            unknown.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            unknown.body
        );
        assert!(unknown.body.contains("reference_unknown"));
        let extra = app
            .json(
                "POST",
                "/api/v1/meetings",
                &co,
                None,
                serde_json::json!({
                    "title": "اجتماع", "starts": "2026-12-03T10:00", "colour": "red"
                }),
            )
            .await;
        assert_eq!(extra.status, StatusCode::BAD_REQUEST);
        // a focal point may not create one
        let res = app
            .json(
                "POST",
                "/api/v1/meetings",
                &fp,
                None,
                serde_json::json!({"title": "x", "starts": "2026-12-03T10:00"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let made = app
            .json(
                "POST",
                "/api/v1/meetings",
                &co,
                None,
                serde_json::json!({
                    "title": "اجتماع الهيئة العامة", "kind": "general_assembly",
                    "starts": "2026-12-03T10:00", "time_zone": "Europe/Istanbul",
                    "organisers": [fp_org.0], "visibility": "members"
                }),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let m: serde_json::Value = serde_json::from_str(&made.body).unwrap();
        let id = m["id"].as_i64().unwrap();
        assert_eq!(
            m["starts_at"], 1_796_281_200,
            "10:00 in Istanbul is 07:00 UTC"
        );
        // its details change with the version read; a stale one is a conflict, on the
        // API and on the page (which shows both versions)
        let mut changed = serde_json::json!({
            "title": "اجتماع الهيئة العامة العادي", "kind": "general_assembly",
            "starts": "2026-12-03T11:00", "organisers": [fp_org.0]
        });
        let put = app
            .json(
                "PUT",
                &format!("/api/v1/meetings/{id}"),
                &co,
                Some(1),
                changed.clone(),
            )
            .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        assert_eq!(header_str(&put, "etag"), "\"2\"");
        changed["title"] = serde_json::json!("عنوان آخر");
        let stale = app
            .json(
                "PUT",
                &format!("/api/v1/meetings/{id}"),
                &co,
                Some(1),
                changed,
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let form = app.get(&format!("/meetings/{id}/edit"), &co.0).await;
        assert!(
            form.body.contains("اجتماع الهيئة العامة العادي")
                && form.body.contains("2026-12-03T11:00")
        );
        let res = app
            .post_form(
                &format!("/meetings/{id}"),
                &co.0,
                &[
                    ("csrf", &csrf_of(&form.body)),
                    ("version", "1"),
                    ("title", "عنواني أنا"),
                    ("starts", "2026-12-03T11:00"),
                    ("kind", "board"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(
            res.body.contains("عنواني أنا") && res.body.contains("اجتماع الهيئة العامة العادي")
        );
        let res = app
            .post_form(
                &format!("/meetings/{id}"),
                &co.0,
                &[
                    ("csrf", &csrf_of(&form.body)),
                    ("version", "2"),
                    ("title", "اجتماع الهيئة العامة"),
                    ("starts", "2026-12-03T10:00"),
                    ("kind", "general_assembly"),
                    ("organisers", &fp_org.0.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // the invitations go by e-mail, once per address, with the time in its zone
        let before = app.db.store.due_mail(1000).await.unwrap().len();
        let page = app.get(&format!("/meetings/{id}"), &co.0).await;
        let res = app
            .post_form(
                &format!("/meetings/{id}/invitations"),
                &co.0,
                &[("csrf", &csrf_of(&page.body))],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mail = app.db.store.due_mail(1000).await.unwrap();
        assert_eq!(
            mail.len(),
            before + 1,
            "the convening organisation's focal point"
        );
        let inv = mail.iter().find(|m| m.subject.contains("دعوة")).unwrap();
        assert_eq!(inv.to, demo::FOCAL_POINT_EMAIL);
        assert!(
            !inv.subject.contains(" / "),
            "in the focal point's own language, not both: {}",
            inv.subject
        );
        assert!(
            inv.body.contains("2026-12-03 10:00 (Europe/Istanbul)")
                && inv.body.contains(&format!("/meetings/{id}/calendar.ics")),
            "{}",
            inv.body
        );
        let minutes = app
            .get(&format!("/api/v1/meetings/{id}/minutes"), &fp.0)
            .await;
        assert_eq!(header_str(&minutes, "etag"), "\"1\"");
        let uri = format!("/api/v1/meetings/{id}/minutes");
        // the focal point of a convening organisation writes the minutes
        let v1 = app
            .json(
                "PUT",
                &uri,
                &fp,
                Some(1),
                serde_json::json!({"minutes": "## المحضر\nالفقرة الأولى"}),
            )
            .await;
        assert_eq!(v1.status, StatusCode::OK, "{}", v1.body);
        // someone else, from the same stale version: a conflict, nothing overwritten
        let stale = app
            .json(
                "PUT",
                &uri,
                &co,
                Some(1),
                serde_json::json!({"minutes": "نص آخر"}),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let page = app.get(&format!("/meetings/{id}"), &co.0).await;
        assert!(page.body.contains("الفقرة الأولى"));
        // the same through the page: the conflict shows both texts
        let csrf = csrf_of(&page.body);
        let res = app
            .post_form(
                &format!("/meetings/{id}/minutes"),
                &co.0,
                &[
                    ("csrf", &csrf),
                    ("version", "1"),
                    ("minutes", "فقرتي التي لا يجب أن تضيع"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.body.contains("فقرتي التي لا يجب أن تضيع") && res.body.contains("الفقرة الأولى"));
        // approval locks them, for the API too
        for to in ["circulated", "approved"] {
            let r = app
                .json(
                    "POST",
                    &format!("/api/v1/meetings/{id}/minutes/state"),
                    &co,
                    None,
                    serde_json::json!({"to": to}),
                )
                .await;
            assert_eq!(r.status, StatusCode::NO_CONTENT, "{to}: {}", r.body);
        }
        let locked = app
            .json(
                "PUT",
                &uri,
                &co,
                Some(2),
                serde_json::json!({"minutes": "تغيير"}),
            )
            .await;
        assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(locked.body.contains("minutes_locked"));
        // an action item for the focal point's organisation, moved along by it
        let a = app
            .json(
                "POST",
                &format!("/api/v1/meetings/{id}/action-items"),
                &co,
                None,
                serde_json::json!({
                    "title": "متابعة", "org_id": fp_org.0, "due": "2020-01-01"
                }),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let aid = serde_json::from_str::<serde_json::Value>(&a.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let mine = app
            .get(&format!("/api/v1/action-items?org={}", fp_org.0), &fp.0)
            .await;
        assert!(mine.body.contains("متابعة"));
        let moved = app
            .json(
                "PUT",
                &format!("/api/v1/action-items/{aid}"),
                &fp,
                Some(1),
                serde_json::json!({"status": "done", "comment": "أنجزت"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        let stale = app
            .json(
                "PUT",
                &format!("/api/v1/action-items/{aid}"),
                &fp,
                Some(1),
                serde_json::json!({"status": "open"}),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        // proposals: closing before opening is refused; a focal point proposes for its own
        let t = |s: &str| serde_json::json!(s);
        let p = |opens: &str, closes: &str, proposers: Vec<i64>| {
            serde_json::json!({
                "title": "موقف مشترك", "body": "النص", "kind": "joint_position",
                "opens": opens, "closes": closes, "time_zone": "UTC", "proposers": proposers
            })
        };
        let r = app
            .json(
                "POST",
                "/api/v1/proposals",
                &fp,
                None,
                p("2026-12-10T10:00", "2026-12-01T10:00", vec![fp_org.0]),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("window_invalid"));
        let r = app
            .json(
                "POST",
                "/api/v1/proposals",
                &fp,
                None,
                p("2020-01-01T00:00", "2099-01-01T00:00", vec![fp_org.0 + 1]),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "not on another organisation's behalf"
        );
        let r = app
            .json(
                "POST",
                "/api/v1/proposals",
                &fp,
                None,
                p("2020-01-01T00:00", "2099-01-01T00:00", vec![fp_org.0]),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let pid = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let ans = format!("/api/v1/proposals/{pid}/answer");
        assert_eq!(
            app.json(
                "PUT",
                &ans,
                &fp,
                None,
                serde_json::json!({"answer": t("maybe")})
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            app.json(
                "PUT",
                &ans,
                &fp,
                None,
                serde_json::json!({"answer": "object"})
            )
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            app.json(
                "PUT",
                &ans,
                &fp,
                None,
                serde_json::json!({"answer": "support", "reason": "بعد النقاش"})
            )
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        // a coordinator does not answer for organisations
        assert_eq!(
            app.json(
                "PUT",
                &ans,
                &co,
                None,
                serde_json::json!({"answer": "object"})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let view: serde_json::Value = serde_json::from_str(
            &app.get(&format!("/api/v1/proposals/{pid}"), &co.0)
                .await
                .body,
        )
        .unwrap();
        assert_eq!(view["answered"], 1);
        assert!(view["answers"].is_null(), "hidden until closing: {view}");
        assert!(view["outcome"].is_null());
        // a proposal that closed already: sealed on the first read, answers refused
        app.db
            .raw(&format!(
                "UPDATE proposals SET closes_at = opens_at + 1 WHERE id = {pid}"
            ))
            .await;
        let view: serde_json::Value = serde_json::from_str(
            &app.get(&format!("/api/v1/proposals/{pid}"), &co.0)
                .await
                .body,
        )
        .unwrap();
        assert_eq!(
            view["outcome"], "no_quorum",
            "one answer of forty members: {view}"
        );
        assert_eq!(view["answers"][0]["answer"], "support");
        let late = app
            .json(
                "PUT",
                &ans,
                &fp,
                None,
                serde_json::json!({"answer": "object"}),
            )
            .await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(late.body.contains("endorsement_closed"));
        // the calendar: one event, and a feed that needs its secret
        let ics = app
            .get(&format!("/meetings/{id}/calendar.ics"), &fp.0)
            .await;
        assert_eq!(ics.status, StatusCode::OK);
        assert!(ics.body.contains("DTSTART:20261203T070000Z") && ics.body.contains("BEGIN:VEVENT"));
        assert_eq!(
            app.get(
                "/calendar/0123456789abcdef0123456789abcdef0123456789abcdef.ics",
                ""
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let page = app.get("/meetings", &fp.0).await;
        let res = app
            .post_form(
                "/meetings/calendar-feed",
                &fp.0,
                &[("csrf", &csrf_of(&page.body))],
            )
            .await;
        let at = res.body.find("/calendar/").unwrap();
        let feed = res.body[at..].split('<').next().unwrap().to_string();
        let cal = app.get(&feed, "").await;
        assert_eq!(cal.status, StatusCode::OK, "{feed}");
        assert!(cal.body.contains("اجتماع الهيئة العامة"));
        // a meeting for the secretariat only is in nobody else's feed, list or page
        let secret = app
            .json("POST", "/api/v1/meetings", &co, None, serde_json::json!({
                "title": "اجتماع داخلي للأمانة", "starts": "2026-12-04T10:00", "visibility": "coordinators"
            }))
            .await;
        let sid = serde_json::from_str::<serde_json::Value>(&secret.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        assert!(!app.get(&feed, "").await.body.contains("اجتماع داخلي"));
        assert!(!app
            .get("/api/v1/meetings", &fp.0)
            .await
            .body
            .contains("اجتماع داخلي"));
        assert_eq!(
            app.get(&format!("/api/v1/meetings/{sid}"), &fp.0)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("/meetings/{sid}"), &fp.0).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(app
            .get("/api/v1/meetings", &co.0)
            .await
            .body
            .contains("اجتماع داخلي"));
        // search finds meetings by their minutes (any hamza spelling) and proposals by
        // their text, as far as the reader may see them
        let found = app
            .get(
                "/api/v1/search?q=%D8%A7%D9%84%D8%A7%D9%88%D9%84%D9%89",
                &fp.0,
            )
            .await; // الاولى
        assert!(
            found.body.contains(&format!("\"id\":\"{id}\"")),
            "{}",
            found.body
        );
        assert!(found.body.contains("\"type\":\"meeting\""));
        let inner = app
            .get("/api/v1/search?q=%D8%AF%D8%A7%D8%AE%D9%84%D9%8A", &fp.0)
            .await; // داخلي
        assert!(
            !inner.body.contains("\"type\":\"meeting\""),
            "{}",
            inner.body
        );
        let inner = app
            .get("/api/v1/search?q=%D8%AF%D8%A7%D8%AE%D9%84%D9%8A", &co.0)
            .await;
        assert!(
            inner.body.contains(&format!("\"id\":\"{sid}\"")),
            "{}",
            inner.body
        );
        let p = app
            .get("/search?q=%D9%85%D9%88%D9%82%D9%81&type=proposal", &fp.0)
            .await; // موقف
        assert!(p.body.contains(&format!("/proposals/{pid}")), "{}", p.body);
        // a proposal closing within two days: the focal points of members that have not
        // answered are reminded, once, in Arabic and English
        let r = app
            .json(
                "POST",
                "/api/v1/proposals",
                &co,
                None,
                serde_json::json!({
                    "title": "طلب إلى الجهة الشريكة", "body": "نص", "kind": "partner_request",
                    "opens": "2020-01-01T00:00", "closes": "2099-01-01T00:00", "time_zone": "UTC"
                }),
            )
            .await;
        let rid = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let soon = minbar_store::util::now() + 3600;
        app.db
            .raw(&format!(
                "UPDATE proposals SET closes_at = {soon} WHERE id = {rid}"
            ))
            .await;
        let before = app.db.store.due_mail(1000).await.unwrap().len();
        let (_, reminded) =
            minbar_web::mail::coordination_pass(&app.db.store, "https://minbar.example")
                .await
                .unwrap();
        assert_eq!(reminded, 1);
        let mail = app.db.store.due_mail(1000).await.unwrap();
        let to_fp: Vec<_> = mail
            .iter()
            .filter(|m| m.to == demo::FOCAL_POINT_EMAIL && m.subject.contains("جوابكم منتظر"))
            .collect();
        assert_eq!(mail.len(), before + 1, "one focal point in the demo");
        assert_eq!(to_fp.len(), 1);
        assert!(
            to_fp[0].body.contains("طلب إلى الجهة الشريكة")
                && to_fp[0]
                    .body
                    .contains(&format!("https://minbar.example/proposals/{rid}"))
        );
        assert!(
            to_fp[0].subject.contains("جوابكم منتظر")
                && !to_fp[0].subject.contains("Your answer is awaited"),
            "in the focal point's language (Arabic unless they chose another)"
        );
        let (_, again) =
            minbar_web::mail::coordination_pass(&app.db.store, "https://minbar.example")
                .await
                .unwrap();
        assert_eq!(again, 0, "once per proposal");
        // once the focal point has answered, a later proposal does not remind them
        let r = app
            .json(
                "POST",
                "/api/v1/proposals",
                &co,
                None,
                serde_json::json!({
                    "title": "مقترح ثان", "body": "نص", "kind": "partner_request",
                    "opens": "2020-01-01T00:00", "closes": "2099-01-01T00:00", "time_zone": "UTC"
                }),
            )
            .await;
        let rid = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let ans = format!("/api/v1/proposals/{rid}/answer");
        assert_eq!(
            app.json(
                "PUT",
                &ans,
                &fp,
                None,
                serde_json::json!({"answer": "abstain"})
            )
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        app.db
            .raw(&format!(
                "UPDATE proposals SET closes_at = {soon} WHERE id = {rid}"
            ))
            .await;
        let (_, reminded) =
            minbar_web::mail::coordination_pass(&app.db.store, "https://minbar.example")
                .await
                .unwrap();
        assert_eq!(reminded, 1);
        assert_eq!(
            app.db.store.due_mail(1000).await.unwrap().len(),
            before + 1,
            "nobody left to remind"
        );
        // a public proposal is published for everyone, without the accounts behind it;
        // a members' one asks a visitor to sign in
        let r = app
            .json("POST", "/api/v1/proposals", &co, None, serde_json::json!({
                "title": "نداء عام", "body": "نص", "kind": "joint_position", "visibility": "public",
                "opens": "2020-01-01T00:00", "closes": "2099-01-01T00:00", "time_zone": "UTC"
            }))
            .await;
        let public = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let c = app
            .json(
                "POST",
                &format!("/api/v1/proposals/{public}/comments"),
                &fp,
                None,
                serde_json::json!({"body": "نؤيد النداء"}),
            )
            .await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
        let page = app.get(&format!("/proposals/{public}"), "").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("نداء عام") && page.body.contains("نؤيد النداء"));
        assert!(
            !page.body.contains(demo::FOCAL_POINT_EMAIL),
            "no addresses for visitors"
        );
        assert_eq!(
            app.get(&format!("/proposals/{pid}"), "").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn bulletins_are_posted_pinned_expire_and_reach_feeds_as_far_as_readers_may_see() {
    for app in App::all().await {
        let co = app.coordinator().await;
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let fp_org = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        let post = |who: &(String, String), body: serde_json::Value| {
            let who = who.clone();
            let app = &app;
            async move {
                app.json("POST", "/api/v1/bulletins", &who, None, body)
                    .await
            }
        };
        // a focal point posts for their own organisation, not for another; cannot pin
        let mine = post(&fp, serde_json::json!({
            "title": "دعوة لورشة حول تجديد الإقامة", "body": "ورشة عن **الإقامة** والحماية المؤقتة",
            "kind": "call", "org_id": fp_org.0, "pinned": true, "visibility": "public"
        })).await;
        assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.body);
        let mine: serde_json::Value = serde_json::from_str(&mine.body).unwrap();
        assert_eq!(mine["pinned"], false, "only the secretariat pins");
        let other = post(
            &fp,
            serde_json::json!({"title": "x", "body": "y", "org_id": fp_org.0 + 1}),
        )
        .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let bad = post(&fp, serde_json::json!({"title": "", "body": "", "kind": "gossip", "org_id": fp_org.0, "expires": "2026-13-01"})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("expires") && bad.body.contains("kind"));
        // the secretariat: a pinned alert for members, and an expired one
        let pinned = post(&co, serde_json::json!({
            "title": "تنبيه للأعضاء", "body": "تنبيه داخلي", "kind": "alert", "pinned": true, "visibility": "members"
        })).await;
        assert_eq!(pinned.status, StatusCode::CREATED, "{}", pinned.body);
        let old = post(&co, serde_json::json!({
            "title": "نشرة قديمة", "body": "انتهت", "expires": "2020-01-01", "visibility": "public"
        })).await;
        assert_eq!(old.status, StatusCode::CREATED);
        let list: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/bulletins", &fp.0).await.body).unwrap();
        let titles: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles.first(),
            Some(&"تنبيه للأعضاء"),
            "pinned first: {titles:?}"
        );
        assert!(
            !titles.contains(&"نشرة قديمة"),
            "expired ones are not listed"
        );
        // the pinned one is on the home page of those who may see it
        assert!(app.get("/home", &fp.0).await.body.contains("تنبيه للأعضاء"));
        let all = app.get("/api/v1/bulletins?status=all", &fp.0).await;
        assert!(all.body.contains("نشرة قديمة"));
        // visitors: the public ones only, on the page and in the public feed
        let page = app.get("/bulletins", "").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("دعوة لورشة") && !page.body.contains("تنبيه للأعضاء"));
        let pid = pinned_id(&pinned.body);
        assert_eq!(
            app.get(&format!("/bulletins/{pid}"), "").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get(&format!("/api/v1/bulletins/{pid}"), "")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let feed = app.get("/bulletins/feed.atom", "").await;
        assert_eq!(
            header_str(&feed, "content-type"),
            "application/atom+xml; charset=utf-8"
        );
        assert!(feed
            .body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
        assert!(
            feed.body.contains("دعوة لورشة")
                && !feed.body.contains("تنبيه للأعضاء")
                && !feed.body.contains("نشرة قديمة")
        );
        assert_eq!(
            feed.body.matches("<entry>").count(),
            feed.body.matches("</entry>").count()
        );
        assert!(
            feed.body.matches("<updated>").count() > feed.body.matches("<entry>").count(),
            "every entry and the feed are dated"
        );
        // a personal feed, behind the secret, shows what its owner may see
        let meetings = app.get("/meetings", &fp.0).await;
        let res = app
            .post_form(
                "/meetings/calendar-feed",
                &fp.0,
                &[("csrf", &csrf_of(&meetings.body))],
            )
            .await;
        let at = res.body.find("/calendar/").unwrap() + "/calendar/".len();
        let secret = &res.body[at..at + 48];
        let personal = app
            .get(&format!("/feeds/{secret}/bulletins.atom"), "")
            .await;
        assert_eq!(personal.status, StatusCode::OK);
        assert!(personal.body.contains("تنبيه للأعضاء"));
        assert_eq!(
            app.get(&format!("/feeds/{}/bulletins.atom", "f".repeat(48)), "")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // found by a spelling variant (teh marbuta, hamza), as far as the reader may see
        let found = app
            .get(
                "/api/v1/search?q=%D8%A7%D9%84%D8%A7%D9%82%D8%A7%D9%85%D9%87&type=bulletin",
                "",
            )
            .await; // الاقامه
        assert!(
            found.body.contains("\"type\":\"bulletin\""),
            "{}",
            found.body
        );
        // edits with the version read; a stale one is a conflict; removal too
        let id = mine["id"].as_i64().unwrap();
        let uri = format!("/api/v1/bulletins/{id}");
        let body = serde_json::json!({"title": "دعوة لورشة (معدلة)", "body": "نص", "org_id": fp_org.0, "visibility": "public"});
        assert_eq!(
            app.json("PUT", &uri, &fp, Some(1), body.clone())
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.json("PUT", &uri, &fp, Some(1), body).await.status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            app.json("DELETE", &uri, &fp, Some(1), serde_json::json!({}))
                .await
                .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            app.json("DELETE", &uri, &fp, Some(2), serde_json::json!({}))
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            app.get(&format!("/bulletins/{id}"), "").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

fn pinned_id(body: &str) -> i64 {
    serde_json::from_str::<serde_json::Value>(body).unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn what_a_meeting_recorded_is_corrected_until_its_minutes_are_approved() {
    for app in App::all().await {
        let co = app.coordinator().await;
        let fp_org = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        let made = app
            .json(
                "POST",
                "/api/v1/meetings",
                &co,
                None,
                serde_json::json!({"title": "اجتماع مجموعة العمل", "starts": "2026-12-05T10:00"}),
            )
            .await;
        let id = serde_json::from_str::<serde_json::Value>(&made.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let page = app.get(&format!("/meetings/{id}"), &co.0).await;
        let csrf = csrf_of(&page.body);
        let form = |uri: String, fields: Vec<(&'static str, String)>| {
            let (app, co, csrf) = (&app, co.0.clone(), csrf.clone());
            async move {
                let mut f: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
                f.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
                app.post_form(&uri, &co, &f).await
            }
        };
        let r = form(
            format!("/meetings/{id}/decisions"),
            vec![("text", "قرار فيه خطأ".into())],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let dec = app
            .db
            .store
            .get_meeting(minbar_core::MeetingId(id))
            .await
            .unwrap()
            .decisions[0]
            .id;
        let r = form(
            format!("/meetings/{id}/decisions/{dec}"),
            vec![("text", "قرار صحيح".into()), ("vote", "بالإجماع".into())],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(app
            .get(&format!("/meetings/{id}"), &co.0)
            .await
            .body
            .contains("قرار صحيح"));
        // an action item reassigned on its own page; a stale form keeps what was typed
        let r = form(
            format!("/meetings/{id}/actions"),
            vec![
                ("title", "متابعة".into()),
                ("org_id", fp_org.0.to_string()),
                ("due", "2026-12-20".into()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let aid = app
            .db
            .store
            .get_meeting(minbar_core::MeetingId(id))
            .await
            .unwrap()
            .actions[0]
            .id;
        let edit = app.get(&format!("/actions/{aid}/edit"), &co.0).await;
        assert_eq!(edit.status, StatusCode::OK);
        let r = form(
            format!("/actions/{aid}/edit"),
            vec![
                ("version", "1".into()),
                ("title", "متابعة مع الجهة".into()),
                ("org_id", fp_org.0.to_string()),
                ("due", "2026-12-24".into()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = form(
            format!("/actions/{aid}/edit"),
            vec![
                ("version", "1".into()),
                ("title", "نصي أنا".into()),
                ("org_id", fp_org.0.to_string()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("نصي أنا"), "what was typed is kept");
        // once approved, the record is locked: a correction is refused, in Arabic
        for to in ["circulated", "approved"] {
            form(
                format!("/meetings/{id}/minutes/state"),
                vec![("to", to.into())],
            )
            .await;
        }
        let r = form(
            format!("/meetings/{id}/decisions/{dec}"),
            vec![("text", "تغيير متأخر".into())],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("هذا المحضر معتمد ومقفل"), "{}", r.body);
        assert!(app
            .get(&format!("/meetings/{id}"), &co.0)
            .await
            .body
            .contains("قرار صحيح"));
    }
}

#[tokio::test]
async fn notifications_tell_each_account_what_concerns_it_and_nothing_it_may_not_see() {
    for app in App::all().await {
        let co = app.coordinator().await;
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let fp_user = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap();
        let fp_org = fp_user.org.unwrap();
        app.db
            .store
            .read_all_notifications(fp_user.id)
            .await
            .unwrap();
        let made = app
            .json(
                "POST",
                "/api/v1/meetings",
                &co,
                None,
                serde_json::json!({"title": "اجتماع", "starts": "2026-12-05T10:00"}),
            )
            .await;
        let id = serde_json::from_str::<serde_json::Value>(&made.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        app.json(
            "POST",
            &format!("/api/v1/meetings/{id}/action-items"),
            &co,
            None,
            serde_json::json!({"title": "مهمة لكم", "org_id": fp_org.0}),
        )
        .await;
        for (title, vis) in [
            ("مقترح للأعضاء", "members"),
            ("مقترح للأمانة فقط", "coordinators"),
        ] {
            app.json(
                "POST",
                "/api/v1/proposals",
                &co,
                None,
                serde_json::json!({
                    "title": title, "body": "نص", "kind": "joint_position", "visibility": vis,
                    "opens": "2020-01-01T00:00", "closes": "2099-01-01T00:00", "time_zone": "UTC"
                }),
            )
            .await;
        }
        app.json("POST", "/api/v1/bulletins", &co, None, serde_json::json!({"title": "تنبيه عاجل", "body": "نص", "kind": "alert", "visibility": "members"})).await;
        let list = app.get("/notifications", &fp.0).await;
        for t in ["مهمة لكم", "مقترح للأعضاء", "تنبيه عاجل"] {
            assert!(list.body.contains(t), "{t}");
        }
        assert!(
            !list.body.contains("مقترح للأمانة فقط"),
            "nothing the reader may not see"
        );
        assert!(
            list.body.contains("id=\"unread-count\">3<"),
            "the unread count in the header"
        );
        // opening one reads it and follows its link; someone else's is not found
        let mine = app.db.store.notifications(fp_user.id, 10).await.unwrap();
        let res = app
            .get(&format!("/notifications/{}", mine[0].id), &fp.0)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(header_str(&res, "location"), mine[0].link);
        assert_eq!(app.db.store.unread_count(fp_user.id).await.unwrap(), 2);
        assert_eq!(
            app.get(&format!("/notifications/{}", mine[0].id), &co.0)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let res = app
            .post_form(
                "/notifications/read-all",
                &fp.0,
                &[("csrf", &csrf_of(&list.body))],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(app.db.store.unread_count(fp_user.id).await.unwrap(), 0);
    }
}

/// A raw upload to the API: the body is the file.
async fn upload_raw(app: &App, uri: &str, session: &(String, String), bytes: &[u8]) -> Res {
    app.send(
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header(header::COOKIE, &session.0)
            .header("x-csrf-token", &session.1)
            .body(Body::from(bytes.to_vec()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_library_finds_documents_by_spelling_variants_and_keeps_every_file_version() {
    for app in App::all().await {
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let fp_org = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        let created = app
            .json("POST", "/api/v1/documents", &fp, None, serde_json::json!({
                "title_ar": "دليل إنشاء آلية الشكاوى", "title_en": "Setting up a complaints mechanism",
                "summary_ar": "خطوات عملية للمنظمات الأعضاء", "body": "## الخطوات\n\nابدأ بـ**سياسة** مكتوبة.",
                "org_id": fp_org.0, "tags": ["المساءلة", "الشكاوى"], "sector": "protection",
                "area": "SY-ID", "lang": "ar", "date": "2026-11-02", "visibility": "members"
            }))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let doc: serde_json::Value = serde_json::from_str(&created.body).unwrap();
        let id = doc["id"].as_i64().unwrap();
        // not for another organisation; bad fields named
        let other = app
            .json(
                "POST",
                "/api/v1/documents",
                &fp,
                None,
                serde_json::json!({"title_ar": "x", "org_id": fp_org.0 + 1}),
            )
            .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let bad = app
            .json("POST", "/api/v1/documents", &fp, None, serde_json::json!({"title_ar": "", "org_id": fp_org.0, "date": "2026-02-30", "sector": "nope"}))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("title_ar") && bad.body.contains("date"),
            "{}",
            bad.body
        );

        // a PDF: its text becomes searchable
        let pdf = minbar_exchange::files::sample_pdf("Referral pathways for Gaziantep and Hatay");
        let up = upload_raw(
            &app,
            &format!("/api/v1/documents/{id}/files?name=guide.pdf"),
            &fp,
            &pdf,
        )
        .await;
        assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
        assert!(
            up.body.contains("\"text_state\":\"extracted\""),
            "{}",
            up.body
        );
        // a text file named .pdf is refused and nothing is added
        let before = app.db.fingerprint().await;
        let fake = upload_raw(
            &app,
            &format!("/api/v1/documents/{id}/files?name=report.pdf"),
            &fp,
            b"I am not a PDF",
        )
        .await;
        assert_eq!(fake.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(fake.body.contains("file_type_refused"), "{}", fake.body);
        assert_eq!(app.db.fingerprint().await, before);
        // a file over 25 MB is refused as such
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(25 * 1024 * 1024 + 1, b' ');
        let huge = upload_raw(
            &app,
            &format!("/api/v1/documents/{id}/files?name=big.pdf"),
            &fp,
            &big,
        )
        .await;
        assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(huge.body.contains("file_too_large"));
        assert_eq!(app.db.fingerprint().await, before);
        // an encrypted PDF is stored with a notice, not read
        let mut enc = minbar_exchange::files::sample_pdf("secret");
        let at = enc.len() - 8;
        enc.splice(at..at, b"/Encrypt 5 0 R\n".iter().copied());
        let up = upload_raw(
            &app,
            &format!("/api/v1/documents/{id}/files?name=locked.pdf"),
            &fp,
            &enc,
        )
        .await;
        assert_eq!(up.status, StatusCode::CREATED);
        assert!(up.body.contains("\"text_state\":\"encrypted\""));
        // a new version of guide.pdf, through the page's form
        let page = app.get(&format!("/library/{id}"), &fp.0).await;
        assert!(
            page.body.contains("ملف PDF هذا مشفّر"),
            "the notice for the encrypted file"
        );
        let boundary = "DocBoundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nأضيفت إحالات إدلب\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"guide.pdf\"\r\nContent-Type: application/pdf\r\n\r\n", fp.1).into_bytes();
        body.extend_from_slice(&minbar_exchange::files::sample_pdf(
            "Referral pathways for Idlib",
        ));
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let res = app
            .send(
                Request::post(format!("/library/{id}/files"))
                    .header(
                        header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .header(header::COOKIE, &fp.0)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let files: serde_json::Value = serde_json::from_str(
            &app.get(&format!("/api/v1/documents/{id}/files"), &fp.0)
                .await
                .body,
        )
        .unwrap();
        let guide: Vec<i64> = files["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["name"] == "guide.pdf")
            .map(|f| f["revision"].as_i64().unwrap())
            .collect();
        assert_eq!(guide, vec![2, 1], "both versions kept, the newest first");
        let page = app.get(&format!("/library/{id}"), &fp.0).await;
        assert!(page.body.contains("النسخ السابقة") && page.body.contains("أضيفت إحالات إدلب"));
        assert!(page.body.contains("من غيّر ماذا") && page.body.contains(demo::FOCAL_POINT_EMAIL));

        // found by spelling variants: ى/ي, the article, hamza; and by the words of the
        // latest version of its PDF
        for q in ["الشكاوي", "شكاوى", "آليه", "pathways", "IDLIB"] {
            let found = app
                .get(
                    &format!(
                        "/api/v1/documents?q={}",
                        form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
                    ),
                    &fp.0,
                )
                .await;
            assert!(
                found.body.contains(&format!("\"id\":{id}")),
                "{q}: {}",
                found.body
            );
        }
        // the tag and area filters on the page
        let listed = app
            .get(
                "/library?tag=%D9%85%D8%B3%D8%A7%D8%A1%D9%84%D8%A9&area=SY-ID",
                &fp.0,
            )
            .await;
        assert!(
            listed.body.contains(&format!("/library/{id}\"")),
            "tag مساءلة finds المساءلة"
        );
        let none = app.get("/library?sector=health", &fp.0).await;
        assert!(!none.body.contains(&format!("/library/{id}\"")));

        // members only: a visitor sees neither the document, its files, nor it in feeds
        assert_eq!(
            app.get(&format!("/library/{id}"), "").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get(&format!("/api/v1/documents/{id}"), "").await.status,
            StatusCode::NOT_FOUND
        );
        let first_file = files["items"][0]["id"].as_i64().unwrap();
        assert_eq!(
            app.get(&format!("/files/{first_file}"), "").await.status,
            StatusCode::UNAUTHORIZED
        );
        let dl = app.get(&format!("/files/{first_file}"), &fp.0).await;
        assert_eq!(dl.status, StatusCode::OK);
        assert!(header_str(&dl, "content-disposition").contains("filename*=UTF-8''"));
        let visitor_q = app.get("/api/v1/documents?q=pathways", "").await;
        assert!(!visitor_q.body.contains(&format!("\"id\":{id}")));
        let feed = app.get("/library/feed.atom", "").await;
        assert_eq!(feed.status, StatusCode::OK);
        assert!(!feed.body.contains("آلية الشكاوى"));

        // a stale edit is a conflict; a fresh one is recorded in the history
        let version = serde_json::from_str::<serde_json::Value>(
            &app.get(&format!("/api/v1/documents/{id}"), &fp.0)
                .await
                .body,
        )
        .unwrap()["version"]
            .as_i64()
            .unwrap();
        let change = serde_json::json!({"title_ar": "دليل آلية الشكاوى والملاحظات", "org_id": fp_org.0, "visibility": "public"});
        let stale = app
            .json(
                "PUT",
                &format!("/api/v1/documents/{id}"),
                &fp,
                Some(1),
                change.clone(),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let fresh = app
            .json(
                "PUT",
                &format!("/api/v1/documents/{id}"),
                &fp,
                Some(version),
                change,
            )
            .await;
        assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
        let page = app.get(&format!("/library/{id}"), &fp.0).await;
        assert!(page.body.contains("غيّر:"), "the history says what changed");
        // now public: in the public feed and readable by visitors (without addresses)
        let feed = app.get("/library/feed.atom", "").await;
        assert!(feed.body.contains("دليل آلية الشكاوى والملاحظات"));
        let public = app.get(&format!("/library/{id}"), "").await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            !public.body.contains(demo::FOCAL_POINT_EMAIL),
            "no addresses for visitors"
        );
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn the_policy_tracker_records_decisions_positions_and_advocacy_on_a_timeline() {
    for app in App::all().await {
        let co = app.coordinator().await;
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let pmm = app
            .db
            .store
            .org_refs()
            .await
            .unwrap()
            .into_iter()
            .find(|(o, _, _)| o.acronym == "PMM")
            .unwrap()
            .0
            .id;
        let body = serde_json::json!({
            "title_ar": "قرار بشأن تجديد بطاقات الحماية المؤقتة", "authority_id": pmm.0,
            "instrument": "regulation", "reference": "2026/31", "issued": "2026-11-03",
            "effective": "2026-11-10", "expires": "2026-10-01", "status": "in_force",
            "areas": ["TR-27"], "groups": ["temporary_protection"], "topics": ["registration"],
            "impact": "high", "visibility": "members"
        });
        // an expiry before the issue date is refused, nothing written
        let bad = app
            .json("POST", "/api/v1/policy", &co, None, body.clone())
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("expiry_before_issue"), "{}", bad.body);
        let mut good = body.clone();
        good["expires"] = serde_json::json!("2027-11-10");
        // only the secretariat records
        assert_eq!(
            app.json("POST", "/api/v1/policy", &fp, None, good.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let created = app.json("POST", "/api/v1/policy", &co, None, good).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = serde_json::from_str::<serde_json::Value>(&created.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let adv = app
            .json(
                "POST",
                &format!("/api/v1/policy/{id}/advocacy"),
                &co,
                None,
                serde_json::json!({
                    "raised_with": "مديرية الهجرة في غازي عنتاب", "raised_on": "2026-11-12",
                    "ask": "مهلة إضافية للتجديد"
                }),
            )
            .await;
        assert_eq!(adv.status, StatusCode::CREATED, "{}", adv.body);

        // the timeline of the topic in Gaziantep (and national items with it)
        let tl = app
            .get("/policy/timeline?topic=registration&area=TR-27", &fp.0)
            .await;
        assert_eq!(tl.status, StatusCode::OK);
        assert!(tl.body.contains("قرار بشأن تجديد بطاقات الحماية المؤقتة"));
        assert!(tl.body.contains("طُرح") && tl.body.contains("2026-11-12"));
        assert!(
            tl.body.find("2026-11-12").unwrap() < tl.body.find("2026-11-03").unwrap(),
            "the newest first"
        );
        let elsewhere = app.get("/policy/timeline?area=SY-ID", &fp.0).await;
        assert!(!elsewhere.body.contains("قرار بشأن تجديد"));
        // what changed in November 2026
        let ch = app.get("/policy/changes?month=2026-11", &fp.0).await;
        assert!(ch.body.contains("قرار بشأن تجديد") && ch.body.contains("صدر"));
        let before = app.get("/policy/changes?month=2026-05", &fp.0).await;
        assert!(!before.body.contains("قرار بشأن تجديد"));

        // exports: HXL CSV and Excel with the hashtag row
        let csv = app
            .get("/policy/data/export.csv?topic=registration", &fp.0)
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        let mut lines = csv.body.lines();
        lines.next();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("#meta+id,#meta+title+i_ar"));
        assert!(csv.body.contains("2026/31") && csv.body.contains("temporary_protection"));
        let xlsx = app
            .send(
                Request::get("/policy/data/export.xlsx?topic=registration")
                    .header(header::COOKIE, &fp.0)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(xlsx.status, StatusCode::OK);

        // members only: a visitor sees nothing of it
        assert_eq!(
            app.get(&format!("/api/v1/policy/{id}"), "").await.status,
            StatusCode::NOT_FOUND
        );
        let public = app.get("/policy/feed.atom", "").await;
        assert!(!public.body.contains("قرار بشأن تجديد"));
        assert!(
            public.body.contains("أذونات السفر"),
            "the demo's public item"
        );

        // the page form names the date error in Arabic, and keeps what was typed
        let page = app.get("/policy/new", &co.0).await;
        assert_eq!(page.status, StatusCode::OK);
        let res = app
            .post_form(
                "/policy",
                &co.0,
                &[
                    ("csrf", &co.1),
                    ("title_ar", "تعميم تجريبي"),
                    ("issued", "2026-05-01"),
                    ("expires", "2026-04-01"),
                    ("topics", "health"),
                    ("topics", "education"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("تاريخ الانتهاء يسبق تاريخ الصدور"),
            "{}",
            res.body
        );
        assert!(res.body.contains("تعميم تجريبي"));
        // the demo's item with a position links to its proposal and back
        let items: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/policy?topic=movement", &fp.0).await.body)
                .unwrap();
        let linked = &items["items"][0];
        let proposal = linked["proposal"]["id"]
            .as_i64()
            .expect("the demo links its statement");
        let pp = app.get(&format!("/proposals/{proposal}"), &fp.0).await;
        assert!(
            pp.body.contains(&format!("/policy/{}", linked["id"])),
            "the proposal names its policy item"
        );
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn a_request_meets_the_offers_that_answer_it_and_the_exchange_is_recorded() {
    for app in App::all().await {
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let co = app.coordinator().await;
        let fp_org = app
            .db
            .store
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        // a request for one's own organisation; not for another
        let body = serde_json::json!({
            "kind": "request", "org_id": fp_org.0, "title": "نحتاج مساعدة في آلية الشكاوي",
            "description": "صناديق الشكاوى والخط الساخن", "sector": "protection",
            "topics": ["آليات الشكاوى"], "languages": ["ar"], "format": "online"
        });
        let mut other = body.clone();
        other["org_id"] = serde_json::json!(fp_org.0 + 1);
        assert_eq!(
            app.json("POST", "/api/v1/expertise", &fp, None, other)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let bad = app
            .json("POST", "/api/v1/expertise", &fp, None, serde_json::json!({"kind": "gift", "org_id": fp_org.0, "from": "2026-12-01", "to": "2026-11-01"}))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("end_before_start") && bad.body.contains("kind_invalid"),
            "{}",
            bad.body
        );
        let created = app.json("POST", "/api/v1/expertise", &fp, None, body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = serde_json::from_str::<serde_json::Value>(&created.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        // the demo's complaints-mechanism offer ranks first
        let m: serde_json::Value = serde_json::from_str(
            &app.get(&format!("/api/v1/expertise/{id}/matches"), &fp.0)
                .await
                .body,
        )
        .unwrap();
        let first = &m["items"][0];
        assert!(
            first["item"]["title"]
                .as_str()
                .unwrap()
                .contains("آلية الشكاوى"),
            "{m}"
        );
        assert!(first["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "topic"));
        let offer = first["item"]["id"].as_i64().unwrap();
        let provider = first["item"]["org"]["id"].as_i64().unwrap();
        // the page offers it with an accept button
        let page = app.get(&format!("/expertise/{id}"), &fp.0).await;
        assert!(page
            .body
            .contains(&format!("name=\"offer_id\" value=\"{offer}\"")));
        // accepted through the page
        let res = app
            .post_form(
                &format!("/expertise/{id}/accept"),
                &fp.0,
                &[("csrf", &fp.1), ("offer_id", &offer.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // matched once
        let again = app
            .json(
                "POST",
                &format!("/api/v1/expertise/{id}/accept"),
                &fp,
                None,
                serde_json::json!({"offer_id": offer}),
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("already_matched"));
        // recorded by the requesting organisation; bad counts refused
        let bad = app
            .json(
                "PUT",
                &format!("/api/v1/expertise/{id}/exchange"),
                &fp,
                None,
                serde_json::json!({"people": "-2"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let ok = app
            .json("PUT", &format!("/api/v1/expertise/{id}/exchange"), &fp, None, serde_json::json!({"held_on": "2026-11-26", "people": "١٥", "feedback": "تدريب عملي"}))
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(ok.body.contains("\"people\":15"));
        // the provider's record shows it given, the requester's received
        let given = app
            .get(&format!("/expertise/organisations/{provider}"), &co.0)
            .await;
        assert!(given.body.contains("نحتاج مساعدة في آلية الشكاوي"));
        assert!(given.body.contains("15"));
        let received = app
            .get(&format!("/expertise/organisations/{}", fp_org.0), &co.0)
            .await;
        assert!(received.body.contains("id=\"received-count\">1<"));
        let to_visitors = app
            .get(&format!("/expertise/organisations/{provider}"), "")
            .await;
        assert_eq!(to_visitors.status, StatusCode::OK);
        assert!(
            !to_visitors.body.contains("نحتاج مساعدة في آلية الشكاوي"),
            "a members-only request"
        );
        // visitors see no members-only request
        assert_eq!(
            app.get(&format!("/api/v1/expertise/{id}"), "").await.status,
            StatusCode::NOT_FOUND
        );
        app.db.cleanup().await;
    }
}

/// Followers are told of new records they may see; assignments are mailed at once; the
/// digest comes in each account's own language with its own items, and only those; an
/// account with nothing new gets no e-mail; a mail server that is down loses nothing.
#[tokio::test]
async fn digests_reach_each_account_in_its_language_with_only_what_it_may_see() {
    use minbar_core::{Email, Password, Role};
    use minbar_store::notifications::Preferences;
    let (port, inbox) = smtp_sink().await;
    let mailer = minbar_web::mail::Mailer::from_url(
        &format!("smtp://127.0.0.1:{port}"),
        "Minbar <minbar@minbar.example>",
    )
    .unwrap();
    for db in testing::all().await {
        demo::load(&db.store).await.unwrap();
        inbox.lock().unwrap().clear();
        let s = db.store.acting(minbar_store::audit::Who::cli());
        let pw = Password::parse("a long enough password").unwrap();
        let fp = s.find_user(demo::FOCAL_POINT_EMAIL).await.unwrap().unwrap();
        let partner = s
            .create_user(
                &Email::parse("partner@digest.example").unwrap(),
                &pw,
                Role::Partner,
                None,
            )
            .await
            .unwrap();
        let quiet = s
            .create_user(
                &Email::parse("quiet@digest.example").unwrap(),
                &pw,
                Role::Partner,
                None,
            )
            .await
            .unwrap();
        let follow = |lang: &str| Preferences {
            lang: lang.into(),
            digest: "daily".into(),
            muted: vec![],
            follows: vec![("sector".into(), "protection".into())],
        };
        s.set_preferences(fp.id, &follow("ar")).await.unwrap();
        s.set_preferences(partner, &follow("en")).await.unwrap();
        // bad preferences are refused
        let mut bad = follow("fr");
        assert!(matches!(
            s.set_preferences(partner, &bad).await,
            Err(minbar_store::StoreError::Invalid(_))
        ));
        bad.lang = "ar".into();
        bad.digest = "hourly".into();
        assert!(s.set_preferences(partner, &bad).await.is_err());
        // nothing new for anyone's sector yet: mark what the demo made as mailed
        let base = "https://minbar.example";
        minbar_web::mail::notification_pass(&s, base).await.unwrap();
        mailer.deliver_due(&s).await.unwrap();
        inbox.lock().unwrap().clear();
        // move the digest clock back a day so the next digest is due
        db.raw("UPDATE users SET digest_sent_at = digest_sent_at - 90000 WHERE digest_sent_at IS NOT NULL").await;

        let doc = |title: &str, vis: &str| {
            minbar_core::DocumentDraft::parse(&minbar_core::DocumentInput {
                title_ar: title.into(),
                sector: "protection".into(),
                visibility: vis.into(),
                ..Default::default()
            })
            .unwrap()
        };
        s.create_document(&doc("دليل عام للحماية", "public"))
            .await
            .unwrap();
        s.create_document(&doc("مذكرة داخلية للأعضاء", "members"))
            .await
            .unwrap();
        s.create_document(&doc("مذكرة للأمانة فقط", "coordinators"))
            .await
            .unwrap();
        let queued = minbar_web::mail::notification_pass(&s, base).await.unwrap();
        assert_eq!(
            queued, 2,
            "the focal point and the partner; the quiet account follows nothing"
        );
        // the server is down: nothing is lost
        let dead =
            minbar_web::mail::Mailer::from_url("smtp://127.0.0.1:9", "m@minbar.example").unwrap();
        assert_eq!(dead.deliver_due(&s).await.unwrap(), 0);
        db.raw("UPDATE mail_queue SET next_attempt_at = 0").await;
        assert_eq!(mailer.deliver_due(&s).await.unwrap(), 2);
        let mails: Vec<String> = inbox.lock().unwrap().clone();
        let to = |addr: &str| {
            mails
                .iter()
                .find(|m| m.contains(&format!("To: {addr}")))
                .map(|m| mail_text(m))
                .unwrap_or_else(|| panic!("no mail to {addr}: {mails:?}"))
        };
        let fp_mail = to(demo::FOCAL_POINT_EMAIL);
        assert!(fp_mail.contains("الجديد منذ آخر ملخص"), "Arabic: {fp_mail}");
        assert!(fp_mail.contains("دليل عام للحماية") && fp_mail.contains("مذكرة داخلية للأعضاء"));
        assert!(!fp_mail.contains("مذكرة للأمانة فقط"));
        let partner_mail = to("partner@digest.example");
        assert!(
            partner_mail.contains("New since your last digest"),
            "English: {partner_mail}"
        );
        assert!(partner_mail.contains("دليل عام للحماية"));
        assert!(
            !partner_mail.contains("مذكرة داخلية للأعضاء"),
            "members only"
        );
        assert!(!mails.iter().any(|m| m.contains("quiet@digest.example")));
        // the digest is not sent again the same day, even with something new
        s.create_document(&doc("دليل ثان", "public")).await.unwrap();
        assert_eq!(
            minbar_web::mail::notification_pass(&s, base).await.unwrap(),
            0
        );
        // an assignment goes at once, whatever the digest
        let meeting = s
            .create_meeting(
                &minbar_core::MeetingDraft::parse(&minbar_core::MeetingInput {
                    title: "اجتماع".into(),
                    starts: "2026-12-03T10:00".into(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        s.add_action(
            meeting,
            &minbar_core::ActionDraft::parse(&minbar_core::ActionInput {
                title: "إعداد خريطة الإحالة".into(),
                org_id: fp.org.map(|o| o.0),
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(
            minbar_web::mail::notification_pass(&s, base).await.unwrap(),
            1
        );
        let _ = quiet;
        db.cleanup().await;
    }
}

/// An element of a parsed feed.
#[derive(Debug, Default)]
struct Xml {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Xml>,
}

impl Xml {
    fn parse(s: &str) -> Xml {
        use quick_xml::events::Event;
        let mut r = quick_xml::Reader::from_str(s);
        let mut stack: Vec<Xml> = vec![Xml::default()];
        let attrs = |e: &quick_xml::events::BytesStart| -> Vec<(String, String)> {
            e.attributes()
                .map(|a| {
                    let a = a.expect("well-formed attribute");
                    (
                        a.key.into_inner().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("escaped attribute")
                            .into_owned(),
                    )
                })
                .collect()
        };
        loop {
            match r.read_event().expect("well-formed XML") {
                Event::Start(e) => stack.push(Xml {
                    name: e.name().into_inner().to_string(),
                    attrs: attrs(&e),
                    ..Default::default()
                }),
                Event::Empty(e) => {
                    let x = Xml {
                        name: e.name().into_inner().to_string(),
                        attrs: attrs(&e),
                        ..Default::default()
                    };
                    stack.last_mut().unwrap().children.push(x);
                }
                Event::Text(t) => {
                    let text = t
                        .xml_content(quick_xml::XmlVersion::Implicit1_0)
                        .into_owned();
                    stack.last_mut().unwrap().text.push_str(&text);
                }
                Event::GeneralRef(r) => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        stack.last_mut().unwrap().text.push(c);
                        continue;
                    }
                    let name = r
                        .xml_content(quick_xml::XmlVersion::Implicit1_0)
                        .into_owned();
                    let c = match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unknown entity {other}"),
                    };
                    stack.last_mut().unwrap().text.push_str(c);
                }
                Event::End(_) => {
                    let done = stack.pop().unwrap();
                    stack.last_mut().unwrap().children.push(done);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(stack.len(), 1, "every element closed");
        stack
            .pop()
            .unwrap()
            .children
            .into_iter()
            .next()
            .expect("a root element")
    }
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<&Xml> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

/// The rules of RFC 4287 that a feed of ours must keep (section 4.1): the namespace; one
/// id, title and updated per feed and entry (dates per RFC 3339, ids absolute IRIs,
/// unique per entry); a self link; an author on the feed or on every entry; content or
/// an alternate link per entry; text constructs of a known type.
fn check_atom(body: &str) -> usize {
    let rfc3339 = |s: &str| {
        let b = s.as_bytes();
        s.len() >= 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && (s.ends_with('Z') || s[19..].contains('+') || s[19..].contains('-'))
    };
    let absolute = |s: &str| {
        s.starts_with("http://")
            || s.starts_with("https://")
            || s.starts_with("urn:")
            || s.starts_with("tag:")
    };
    let one = |x: &Xml, name: &str| {
        let v = x.all(name);
        assert_eq!(v.len(), 1, "exactly one atom:{name} in atom:{}", x.name);
        assert!(
            !v[0].text.trim().is_empty() || name == "title",
            "atom:{name} not empty"
        );
    };
    let feed = Xml::parse(body);
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), Some("http://www.w3.org/2005/Atom"));
    for n in ["id", "title", "updated"] {
        one(&feed, n);
    }
    assert!(absolute(feed.all("id")[0].text.trim()));
    assert!(
        rfc3339(feed.all("updated")[0].text.trim()),
        "{}",
        feed.all("updated")[0].text
    );
    assert!(feed
        .all("link")
        .iter()
        .any(|l| l.attr("rel") == Some("self") && l.attr("href").is_some_and(absolute)));
    let feed_author = !feed.all("author").is_empty();
    let entries = feed.all("entry");
    let mut ids = std::collections::HashSet::new();
    for e in &entries {
        for n in ["id", "title", "updated"] {
            one(e, n);
        }
        let id = e.all("id")[0].text.trim().to_string();
        assert!(absolute(&id), "{id}");
        assert!(ids.insert(id), "entry ids are unique");
        assert!(rfc3339(e.all("updated")[0].text.trim()));
        assert!(e.all("published").len() <= 1);
        for p in e.all("published") {
            assert!(rfc3339(p.text.trim()));
        }
        assert!(feed_author || !e.all("author").is_empty(), "an author");
        for a in e.all("author") {
            assert_eq!(a.all("name").len(), 1, "atom:author has one atom:name");
        }
        let content = e.all("content");
        assert!(content.len() <= 1);
        assert!(
            !content.is_empty()
                || e.all("link")
                    .iter()
                    .any(|l| l.attr("rel").unwrap_or("alternate") == "alternate"),
            "content or an alternate link"
        );
        for t in e.all("title").iter().chain(content.iter()) {
            assert!(matches!(
                t.attr("type").unwrap_or("text"),
                "text" | "html" | "xhtml"
            ));
        }
    }
    entries.len()
}

#[tokio::test]
async fn every_atom_feed_keeps_rfc_4287() {
    for app in App::all().await {
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        // the personal feeds' secret
        let page = app.get("/meetings", &fp.0).await;
        let res = app
            .post_form(
                "/meetings/calendar-feed",
                &fp.0,
                &[("csrf", &csrf_of(&page.body))],
            )
            .await;
        let i = res.body.find("/calendar/").expect("a feed address");
        let secret: String = res.body[i + 10..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut total = 0;
        for url in [
            "/bulletins/feed.atom".to_string(),
            "/library/feed.atom".into(),
            "/policy/feed.atom".into(),
            format!("/feeds/{secret}/bulletins.atom"),
            format!("/feeds/{secret}/library.atom"),
            format!("/feeds/{secret}/policy.atom"),
        ] {
            let res = app.get(&url, "").await;
            assert_eq!(res.status, StatusCode::OK, "{url}");
            assert!(header_str(&res, "content-type").starts_with("application/atom+xml"));
            total += check_atom(&res.body);
        }
        assert!(total >= 6, "the demo's feeds have entries: {total}");
        app.db.cleanup().await;
    }
}

/// A multipart upload of one file through a page form.
async fn upload_page(
    app: &App,
    uri: &str,
    session: &(String, String),
    name: &str,
    bytes: &[u8],
) -> Res {
    let boundary = "PaperBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        session.1
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.send(
        Request::post(uri)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, &session.0)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn papers_attach_to_agenda_items_and_proposals_and_are_found_with_them() {
    for app in App::all().await {
        let co = app.coordinator().await;
        let fp = app
            .sign_in(demo::FOCAL_POINT_EMAIL, demo::FOCAL_POINT_PASSWORD)
            .await;
        let s = app.db.store.acting(minbar_store::audit::Who::cli());
        let fp_org = s
            .find_user(demo::FOCAL_POINT_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .org
            .unwrap();
        let meeting = s
            .create_meeting(
                &minbar_core::MeetingDraft::parse(&minbar_core::MeetingInput {
                    title: "اجتماع فريق الحماية".into(),
                    starts: "2026-12-05T10:00".into(),
                    visibility: "members".into(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let item = s
            .add_agenda_item(
                meeting,
                &minbar_core::Name::parse("مسارات الإحالة").unwrap(),
                "",
            )
            .await
            .unwrap();
        let pdf = minbar_exchange::files::sample_pdf("Referral matrix for Jarablus");
        let res = upload_page(
            &app,
            &format!("/meetings/{meeting}/agenda/{item}/files"),
            &co,
            "matrix.pdf",
            &pdf,
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = app.get(&format!("/meetings/{meeting}"), &fp.0).await;
        assert!(page.body.contains("matrix.pdf"));
        // not a paper: refused with the reason, nothing added
        let bad = upload_page(
            &app,
            &format!("/meetings/{meeting}/agenda/{item}/files"),
            &co,
            "x.pdf",
            b"<script>",
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("ليس ملف PDF") || bad.body.contains("not a PDF"),
            "{}",
            bad.body
        );
        // the paper's words find the meeting
        let found = app
            .get("/api/v1/search?q=Jarablus&type=meeting", &fp.0)
            .await;
        assert!(
            found.body.contains(&format!("\"id\":\"{meeting}\"")),
            "{}",
            found.body
        );
        // a members-only meeting's paper is not for visitors or partners
        let fid = s
            .attachments(minbar_store::documents::Owner::AgendaItem(item))
            .await
            .unwrap()[0]
            .id;
        assert_eq!(
            app.get(&format!("/files/{fid}"), "").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get(&format!("/files/{fid}"), &fp.0).await.status,
            StatusCode::OK
        );

        // a proposal's papers: its proposing organisation attaches them
        let proposal = s
            .create_proposal(
                &minbar_core::ProposalDraft::parse(&minbar_core::ProposalInput {
                    title: "موقف مشترك من مسارات الإحالة".into(),
                    body: "نص".into(),
                    kind: "joint_position".into(),
                    proposers: vec![fp_org.0],
                    opens: "2026-12-01T09:00".into(),
                    closes: "2026-12-20T17:00".into(),
                    time_zone: "Europe/Istanbul".into(),
                    visibility: "members".into(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let res = upload_page(
            &app,
            &format!("/proposals/{proposal}/files"),
            &fp,
            "draft.pdf",
            &minbar_exchange::files::sample_pdf("Joint position draft"),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = app.get(&format!("/proposals/{proposal}"), &fp.0).await;
        assert!(page.body.contains("draft.pdf") && page.body.contains("id=\"papers\""));
        let found = app.get("/api/v1/search?q=draft&type=proposal", &fp.0).await;
        assert!(
            found.body.contains(&format!("\"id\":\"{proposal}\"")),
            "{}",
            found.body
        );
        app.db.cleanup().await;
    }
}

#[tokio::test]
async fn an_organisation_named_in_a_text_is_told_once_and_only_if_it_may_see_it() {
    for app in App::all().await {
        let co = app.coordinator().await;
        let s = app.db.store.clone();
        let fp = s.find_user(demo::FOCAL_POINT_EMAIL).await.unwrap().unwrap();
        let org = s
            .org_refs()
            .await
            .unwrap()
            .into_iter()
            .find(|(o, _, _)| Some(o.id) == fp.org)
            .unwrap()
            .0;
        let name = org.name.ar.clone().unwrap();
        let mentions = |s: minbar_store::Store| async move {
            s.notifications(fp.id, 100)
                .await
                .unwrap()
                .into_iter()
                .filter(|n| n.kind == "mention")
                .count()
        };
        let before = mentions(s.clone()).await;
        // a secretariat-only text names it: not told
        let hidden = app
            .json("POST", "/api/v1/bulletins", &co, None, serde_json::json!({
                "title": "مذكرة داخلية", "body": format!("ناقشنا عمل {name} في الشمال"), "visibility": "coordinators"
            }))
            .await;
        assert_eq!(hidden.status, StatusCode::CREATED);
        assert_eq!(mentions(s.clone()).await, before);
        // a members' bulletin names it: told once
        let shown = app
            .json("POST", "/api/v1/bulletins", &co, None, serde_json::json!({
                "title": "شكر", "body": format!("نشكر {name} على استضافة الورشة"), "visibility": "members"
            }))
            .await;
        assert_eq!(shown.status, StatusCode::CREATED);
        assert_eq!(mentions(s.clone()).await, before + 1);
        // minutes saved twice with the same mention: still one notification for them
        let m = s
            .acting(minbar_store::audit::Who::cli())
            .create_meeting(
                &minbar_core::MeetingDraft::parse(&minbar_core::MeetingInput {
                    title: "اجتماع".into(),
                    starts: "2026-12-03T10:00".into(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        for (v, text) in [
            (1, format!("حضر ممثل {name}.")),
            (2, format!("حضر ممثل {name}، وتحدث.")),
        ] {
            let r = app
                .json(
                    "PUT",
                    &format!("/api/v1/meetings/{m}/minutes"),
                    &co,
                    Some(v),
                    serde_json::json!({"minutes": text}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        assert_eq!(mentions(s.clone()).await, before + 2);
        app.db.cleanup().await;
    }
}
