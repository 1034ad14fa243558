//! Reference data every network starts with: the global humanitarian clusters and the
//! first-level areas of Syria and Türkiye (from `data/admin1-sy-tr.geojson`).

use crate::{Store, StoreError};

/// The global humanitarian clusters: (code, Arabic, English, Turkish).
pub const CLUSTERS: &[(&str, &str, &str, &str)] = &[
    (
        "cccm",
        "تنسيق وإدارة المخيمات",
        "Camp Coordination and Camp Management",
        "Kamp Koordinasyonu ve Kamp Yönetimi",
    ),
    (
        "early_recovery",
        "التعافي المبكر",
        "Early Recovery",
        "Erken İyileşme",
    ),
    ("education", "التعليم", "Education", "Eğitim"),
    (
        "etc",
        "الاتصالات في حالات الطوارئ",
        "Emergency Telecommunications",
        "Acil Durum Telekomünikasyonu",
    ),
    (
        "food_security",
        "الأمن الغذائي",
        "Food Security",
        "Gıda Güvenliği",
    ),
    ("health", "الصحة", "Health", "Sağlık"),
    ("logistics", "الخدمات اللوجستية", "Logistics", "Lojistik"),
    ("nutrition", "التغذية", "Nutrition", "Beslenme"),
    ("protection", "الحماية", "Protection", "Koruma"),
    (
        "shelter",
        "المأوى والمواد غير الغذائية",
        "Shelter and Non-Food Items",
        "Barınma ve Gıda Dışı Yardım",
    ),
    (
        "wash",
        "المياه والصرف الصحي والنظافة",
        "Water, Sanitation and Hygiene",
        "Su, Sanitasyon ve Hijyen",
    ),
];

const GEOJSON: &str = include_str!("../../../data/admin1-sy-tr.geojson");

/// One first-level area read from the embedded shapes.
#[derive(Debug, Clone)]
pub struct SeedArea {
    pub code: String,
    pub country: String,
    pub name_ar: String,
    pub name_en: String,
    pub name_tr: String,
    pub lat: f64,
    pub lon: f64,
    pub geometry: String,
}

/// Parse the embedded first-level areas. Syrian Arabic names lose their "محافظة " prefix:
/// people type and search for the bare name.
pub fn admin1_areas() -> Vec<SeedArea> {
    let v: serde_json::Value = serde_json::from_str(GEOJSON).expect("embedded geojson parses");
    let mut out = Vec::new();
    for f in v["features"].as_array().into_iter().flatten() {
        let p = &f["properties"];
        let s = |k: &str| p[k].as_str().unwrap_or_default().trim().to_string();
        let name_ar = s("name_ar");
        let name_ar = name_ar
            .strip_prefix("محافظة ")
            .map(str::to_string)
            .unwrap_or(name_ar);
        let code = s("iso_3166_2");
        let name_tr = TURKISH_CORRECTIONS
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, n)| n.to_string())
            .unwrap_or_else(|| s("name_tr"));
        out.push(SeedArea {
            code,
            country: s("country"),
            name_ar,
            name_en: s("name_en"),
            name_tr,
            lat: p["latitude"].as_f64().unwrap_or_default(),
            lon: p["longitude"].as_f64().unwrap_or_default(),
            geometry: f["geometry"].to_string(),
        });
    }
    out
}

/// Turkish names of Syrian governorates as Turkish media and AFAD write them, where the
/// source has unusual renderings (see data/NOTICE.md).
const TURKISH_CORRECTIONS: &[(&str, &str)] = &[("SY-HA", "Haseke"), ("SY-ID", "İdlib")];

pub const COUNTRIES: &[(&str, &str, &str, &str)] = &[
    ("SY", "سوريا", "Syria", "Suriye"),
    ("TR", "تركيا", "Türkiye", "Türkiye"),
];

fn area_key(ar: &str, en: &str, tr: &str, code: &str) -> String {
    format!(
        " {} {} {} {} ",
        code.to_ascii_lowercase(),
        minbar_text::name_key(ar),
        minbar_text::name_key(en),
        minbar_text::name_key(tr)
    )
}

/// Insert what is missing; never overwrite a coordinator's edits.
pub async fn seed_reference_data(store: &Store) -> Result<(), StoreError> {
    let mut tx = store.writer().begin().await?;
    for (i, (code, ar, en, tr)) in CLUSTERS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO sectors (code, name_ar, name_en, name_tr, custom, sort) VALUES ($1, $2, $3, $4, 0, $5)
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(*code)
        .bind(*ar)
        .bind(*en)
        .bind(*tr)
        .bind(i as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (code, ar, en, tr) in COUNTRIES {
        sqlx::query(
            "INSERT INTO areas (code, level, parent_code, name_ar, name_en, name_tr, search_key)
             VALUES ($1, 0, NULL, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING",
        )
        .bind(*code)
        .bind(*ar)
        .bind(*en)
        .bind(*tr)
        .bind(area_key(ar, en, tr, code))
        .execute(&mut *tx)
        .await?;
    }
    for a in admin1_areas() {
        sqlx::query(
            "INSERT INTO areas (code, level, parent_code, name_ar, name_en, name_tr, search_key, lat, lon, boundary)
             VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING",
        )
        .bind(a.code.clone())
        .bind(a.country.clone())
        .bind(a.name_ar.clone())
        .bind(a.name_en.clone())
        .bind(a.name_tr.clone())
        .bind(area_key(&a.name_ar, &a.name_en, &a.name_tr, &a.code))
        .bind(a.lat)
        .bind(a.lon)
        .bind(a.geometry.clone())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn syrian_names_lose_the_governorate_prefix() {
        let areas = super::admin1_areas();
        assert_eq!(areas.len(), 96);
        let idlib = areas.iter().find(|a| a.code == "SY-ID").unwrap();
        assert_eq!(idlib.name_ar, "إدلب");
        assert!(areas.iter().all(|a| !a.name_ar.starts_with("محافظة")));
    }
}
