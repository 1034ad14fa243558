//! Errors of the web layer: pages render a translated error page, the API answers
//! `{"error": {"code", "message"}}`. A 500 logs its cause and shows a generic message.

use crate::i18n::Tr;
use crate::pages::{Chrome, ErrorPage};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use minbar_core::{FieldErrors, Lang};
use minbar_store::StoreError;

#[derive(Debug)]
pub struct PageError {
    pub lang: Lang,
    pub status: StatusCode,
    pub code: &'static str,
}

impl PageError {
    pub fn new(lang: Lang, status: StatusCode, code: &'static str) -> PageError {
        PageError { lang, status, code }
    }
    pub fn not_found(lang: Lang) -> PageError {
        Self::new(lang, StatusCode::NOT_FOUND, "not_found")
    }
    pub fn forbidden(lang: Lang) -> PageError {
        Self::new(lang, StatusCode::FORBIDDEN, "forbidden")
    }
    pub fn unauthorized(lang: Lang) -> PageError {
        Self::new(lang, StatusCode::UNAUTHORIZED, "unauthorized")
    }
    pub fn bad_request(lang: Lang) -> PageError {
        Self::new(lang, StatusCode::BAD_REQUEST, "bad_request")
    }
    pub fn internal(lang: Lang, cause: impl std::fmt::Display) -> PageError {
        tracing::error!(%cause, "internal error");
        Self::new(lang, StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
    pub fn store(lang: Lang, e: StoreError) -> PageError {
        match e {
            StoreError::NotFound => Self::not_found(lang),
            StoreError::Conflict { .. } => Self::new(lang, StatusCode::CONFLICT, "conflict"),
            StoreError::Invalid(_) => Self::bad_request(lang),
            other => Self::internal(lang, other),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let t = Tr(self.lang);
        let page = ErrorPage {
            c: Chrome::bare(self.lang, &t.get("error-title")),
            message: t.get(&format!("error-{}", self.code)),
            sign_in: self.status == StatusCode::UNAUTHORIZED,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => self.status.into_response(),
        }
    }
}

/// An API error: a stable code, a message in the reader's language, and for invalid
/// input the fields at fault.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub lang: Lang,
    pub fields: Option<FieldErrors>,
}

impl ApiError {
    pub fn new(lang: Lang, status: StatusCode, code: &str) -> ApiError {
        ApiError {
            status,
            code: code.to_string(),
            lang,
            fields: None,
        }
    }
    pub fn invalid(lang: Lang, fields: FieldErrors) -> ApiError {
        let code = fields
            .0
            .first()
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| "bad_request".into());
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            lang,
            fields: Some(fields),
        }
    }
    /// An internal error: the cause goes to the log, the caller gets `internal`.
    pub fn internal(lang: Lang, cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(cause = %cause, "internal error");
        Self::new(lang, StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
    pub fn store(lang: Lang, e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => Self::new(lang, StatusCode::NOT_FOUND, "not_found"),
            StoreError::Conflict { .. } => Self::new(lang, StatusCode::CONFLICT, "conflict"),
            StoreError::Invalid(f) => Self::invalid(lang, f),
            other => {
                tracing::error!(cause = %other, "internal error");
                Self::new(lang, StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let t = Tr(self.lang);
        let mut error = serde_json::json!({
            "code": self.code,
            "message": t.err(&self.code),
        });
        if let Some(f) = &self.fields {
            error["fields"] = f
                .0
                .iter()
                .map(|(field, code)| serde_json::json!({"field": field, "code": code, "message": t.err(code)}))
                .collect();
        }
        (self.status, Json(serde_json::json!({ "error": error }))).into_response()
    }
}
