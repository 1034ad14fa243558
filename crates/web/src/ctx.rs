//! Who is asking, and in which language: the request context every handler starts from.

use crate::error::PageError;
use crate::i18n::Tr;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use minbar_core::{Action, Actor, Lang, OrgId};
use minbar_store::accounts::{Origin, Session};
use minbar_store::audit::Who;
use minbar_store::Store;

pub const SESSION_COOKIE: &str = "minbar_session";
pub const LANG_COOKIE: &str = "minbar_lang";

/// The request's language, its signed-in session if any, and what to tell the browser.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub session: Option<Session>,
    pub token: Option<String>,
    /// The language was chosen with `?lang=` and should be remembered in a cookie.
    pub remember_lang: bool,
    /// Path and query of the request, for language links and redirects after sign-in.
    pub path: String,
    pub query: String,
    /// Where the request comes from (for throttling and the sessions page).
    pub origin: Origin,
    /// The signed-in account's unread notifications.
    pub unread: i64,
}

impl Ctx {
    pub fn actor(&self) -> Actor {
        self.session
            .as_ref()
            .map(|s| s.user.actor())
            .unwrap_or(Actor::VISITOR)
    }
    pub fn t(&self) -> Tr {
        Tr(self.lang)
    }
    /// Who writes, for the audit trail.
    pub fn who(&self) -> Who {
        self.session.as_ref().map(Session::who).unwrap_or_default()
    }
    /// The store, writing in this request's name: every write a page makes goes through it.
    pub fn store(&self, st: &AppState) -> Store {
        st.store.acting(self.who())
    }
    pub fn may(&self, action: Action, target: Option<OrgId>) -> bool {
        self.actor().may(action, target)
    }
    /// The answer for a record this reader may not see: a visitor is asked to sign in
    /// (401); a signed-in reader is told it is not there (404), which says nothing of it.
    pub fn not_shown(&self) -> PageError {
        if self.session.is_none() {
            PageError::unauthorized(self.lang)
        } else {
            PageError::not_found(self.lang)
        }
    }
    /// Refuse unless allowed: 401 for visitors (so they may sign in), 403 otherwise.
    pub fn require(&self, action: Action, target: Option<OrgId>) -> Result<(), PageError> {
        if self.may(action, target) {
            Ok(())
        } else if self.session.is_none() {
            Err(PageError::unauthorized(self.lang))
        } else {
            Err(PageError::forbidden(self.lang))
        }
    }
    /// The refusal for something this reader may not do: 401 for visitors, 403 otherwise.
    pub fn refusal(&self) -> PageError {
        if self.session.is_none() {
            PageError::unauthorized(self.lang)
        } else {
            PageError::forbidden(self.lang)
        }
    }

    /// Does the form's CSRF token match the session's?
    pub fn csrf_ok(&self, token: &str) -> bool {
        match &self.session {
            Some(s) => constant_time_eq(s.csrf.as_bytes(), token.as_bytes()),
            None => false,
        }
    }
    /// Refuse (403 `csrf`) a posted form whose `csrf` field is not the session's token.
    pub fn check_csrf(
        &self,
        fields: &std::collections::HashMap<String, String>,
    ) -> Result<(), PageError> {
        if self.csrf_ok(fields.get("csrf").map(String::as_str).unwrap_or("")) {
            Ok(())
        } else {
            Err(PageError::new(
                self.lang,
                axum::http::StatusCode::FORBIDDEN,
                "csrf",
            ))
        }
    }
    pub fn csrf(&self) -> String {
        self.session
            .as_ref()
            .map(|s| s.csrf.clone())
            .unwrap_or_default()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of cookie `name`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The client's address (the last hop of `X-Forwarded-For` when Minbar runs behind a
/// proxy it trusts, else the peer) and its user agent.
pub fn origin(parts: &Parts, trust_proxy: bool) -> Origin {
    let forwarded = trust_proxy
        .then(|| {
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        })
        .flatten();
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    Origin {
        address: forwarded.or(peer).unwrap_or_else(|| "unknown".into()),
        user_agent: parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    }
}

fn query_lang(query: &str) -> Option<Lang> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(&v))
}

/// `?lang=` first, then the cookie, then `Accept-Language` (in order of preference), then
/// Arabic.
pub fn negotiate(query: &str, headers: &HeaderMap) -> (Lang, bool) {
    if let Some(l) = query_lang(query) {
        return (l, true);
    }
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(Lang::parse) {
        return (l, false);
    }
    if let Some(al) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        let mut prefs: Vec<(f32, Lang)> = al
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Lang::parse(tag).map(|l| (q, l))
            })
            .collect();
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        if let Some((_, l)) = prefs.first() {
            return (*l, false);
        }
    }
    (Lang::Ar, false)
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // the permission guard in front of the handler may have read it already
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let query = parts.uri.query().unwrap_or("").to_string();
        let (lang, remember_lang) = negotiate(&query, &parts.headers);
        let token = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string);
        let session = match &token {
            Some(t) => state
                .store
                .session(t)
                .await
                .map_err(|e| PageError::internal(lang, e))?,
            None => None,
        };
        let unread = match &session {
            Some(s) => state
                .store
                .unread_count(s.user.id)
                .await
                .map_err(|e| PageError::internal(lang, e))?,
            None => 0,
        };
        Ok(Ctx {
            lang,
            unread,
            session,
            token,
            remember_lang,
            path: parts.uri.path().to_string(),
            query,
            origin: origin(parts, state.trust_proxy),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        m
    }

    #[test]
    fn arabic_unless_asked_otherwise() {
        assert_eq!(negotiate("", &h(&[])).0, Lang::Ar);
        assert_eq!(
            negotiate("", &h(&[("accept-language", "de-DE, en;q=0.5, tr;q=0.8")])).0,
            Lang::Tr
        );
        assert_eq!(
            negotiate("", &h(&[("cookie", "a=b; minbar_lang=en")])).0,
            Lang::En
        );
        assert_eq!(
            negotiate("lang=tr", &h(&[("cookie", "minbar_lang=en")])),
            (Lang::Tr, true)
        );
        assert_eq!(negotiate("lang=xx", &h(&[])).0, Lang::Ar);
    }
}
