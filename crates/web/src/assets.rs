//! Static files, embedded in the binary: the stylesheet, the vendored font, its licence.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "minbar.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/minbar.css"),
    ),
    (
        "fonts.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/fonts.css"),
    ),
    (
        "minbar.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/minbar.js"),
    ),
    (
        "fonts/OFL.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../static/fonts/OFL.txt"),
    ),
    (
        "fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2",
        "font/woff2",
        include_bytes!("../static/fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2"),
    ),
    (
        "fonts/ibm-plex-sans-arabic-arabic-700-normal.woff2",
        "font/woff2",
        include_bytes!("../static/fonts/ibm-plex-sans-arabic-arabic-700-normal.woff2"),
    ),
    (
        "fonts/ibm-plex-sans-arabic-latin-400-normal.woff2",
        "font/woff2",
        include_bytes!("../static/fonts/ibm-plex-sans-arabic-latin-400-normal.woff2"),
    ),
    (
        "fonts/ibm-plex-sans-arabic-latin-700-normal.woff2",
        "font/woff2",
        include_bytes!("../static/fonts/ibm-plex-sans-arabic-latin-700-normal.woff2"),
    ),
    (
        "fonts/ibm-plex-sans-arabic-latin-ext-400-normal.woff2",
        "font/woff2",
        include_bytes!("../static/fonts/ibm-plex-sans-arabic-latin-ext-400-normal.woff2"),
    ),
    (
        "fonts/ibm-plex-sans-arabic-latin-ext-700-normal.woff2",
        "font/woff2",
        include_bytes!("../static/fonts/ibm-plex-sans-arabic-latin-ext-700-normal.woff2"),
    ),
];

/// `/static/{*path}`: the embedded files.
pub(crate) async fn serve(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(p, _, _)| *p == path) {
        Some((_, mime, bytes)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
