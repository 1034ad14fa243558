//! The demo network: a fictional network of 42 member organisations and 5 partner bodies,
//! the same on every run (a fixed seed drives every choice).

use crate::{Store, StoreError};
use minbar_core::*;

/// Credentials named in the README for trying Minbar out.
pub const COORDINATOR_EMAIL: &str = "coordinator@minbar.example";
pub const COORDINATOR_PASSWORD: &str = "coordinator-demo";
pub const FOCAL_POINT_EMAIL: &str = "focal@minbar.example";
pub const FOCAL_POINT_PASSWORD: &str = "focal-point-demo";

/// xorshift64*: small, deterministic, good enough to pick demo data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const CONCEPTS: &[(&str, &str, &str)] = &[
    ("الأمل", "Hope", "Umut"),
    ("النور", "Light", "Nur"),
    ("الغد", "Tomorrow", "Yarın"),
    ("البناء", "Building", "İnşa"),
    ("الكرامة", "Dignity", "Onur"),
    ("الياسمين", "Jasmine", "Yasemin"),
    ("السنابل", "Wheat Ears", "Başak"),
    ("الفجر", "Dawn", "Şafak"),
    ("العطاء", "Giving", "Bağış"),
    ("الزيتون", "Olive", "Zeytin"),
    ("الرحمة", "Mercy", "Merhamet"),
    ("الوفاء", "Loyalty", "Vefa"),
    ("بسمة", "Smile", "Tebessüm"),
    ("الإخاء", "Brotherhood", "Kardeşlik"),
    ("الجسر", "Bridge", "Köprü"),
    ("السلام", "Peace", "Barış"),
    ("الشروق", "Sunrise", "Gündoğumu"),
    ("الحياة", "Life", "Hayat"),
    ("الأرض", "Land", "Toprak"),
    ("النهضة", "Revival", "Diriliş"),
    ("الربيع", "Spring", "Bahar"),
    ("القلم", "Pen", "Kalem"),
];

/// (Arabic, English, Turkish, sectors)
const PURPOSES: &[(&str, &str, &str, &[&str])] = &[
    (
        "للإغاثة والتنمية",
        "for Relief and Development",
        "Yardım ve Kalkınma",
        &["food_security", "shelter", "early_recovery"],
    ),
    ("للتعليم", "for Education", "Eğitim", &["education"]),
    (
        "للرعاية الصحية",
        "for Health Care",
        "Sağlık Hizmetleri",
        &["health", "nutrition"],
    ),
    (
        "لرعاية الأيتام",
        "for Orphan Care",
        "Yetim Bakımı",
        &["protection", "education"],
    ),
    (
        "لدعم المرأة والطفل",
        "for Women and Children",
        "Kadın ve Çocuk Destek",
        &["protection", "health"],
    ),
    (
        "للعمل الإنساني",
        "for Humanitarian Action",
        "İnsani Yardım",
        &["food_security", "cccm", "shelter"],
    ),
    (
        "للحماية والدعم النفسي",
        "for Protection and Psychosocial Support",
        "Koruma ve Psikososyal Destek",
        &["protection"],
    ),
    (
        "للمياه والإصحاح",
        "for Water and Sanitation",
        "Su ve Sanitasyon",
        &["wash"],
    ),
    (
        "للأمن الغذائي",
        "for Food Security",
        "Gıda Güvenliği",
        &["food_security", "nutrition"],
    ),
    ("للمأوى", "for Shelter", "Barınma", &["shelter", "cccm"]),
];

const TYPES: &[(&str, &str, &str)] = &[
    ("جمعية", "Association", "Derneği"),
    ("مؤسسة", "Foundation", "Vakfı"),
    ("منظمة", "Organisation", "Örgütü"),
    ("رابطة", "League", "Birliği"),
    ("مبادرة", "Initiative", "Girişimi"),
];

const PARTNERS: &[(&str, &str, &str, &str)] = &[
    (
        "دائرة شؤون المجتمع المدني",
        "Civil Society Affairs Department",
        "Sivil Toplum İşleri Dairesi",
        "CSAD",
    ),
    (
        "وحدة تنسيق المساعدات الإنسانية",
        "Humanitarian Assistance Coordination Unit",
        "İnsani Yardım Koordinasyon Birimi",
        "HACU",
    ),
    (
        "مكتب شؤون اللاجئين",
        "Refugee Affairs Office",
        "Mülteci İşleri Ofisi",
        "RAO",
    ),
    (
        "الصندوق الإنساني المشترك للشمال",
        "Northern Joint Humanitarian Fund",
        "Kuzey Ortak İnsani Yardım Fonu",
        "NJHF",
    ),
    (
        "منتدى التنسيق الإقليمي",
        "Regional Coordination Forum",
        "Bölgesel Koordinasyon Forumu",
        "RCF",
    ),
];

const SYRIA_AREAS: &[&str] = &["SY-ID", "SY-HL", "SY-HM", "SY-RA", "SY-HA", "SY-LA"];
const TURKEY_AREAS: &[&str] = &[
    "TR-27", "TR-31", "TR-63", "TR-34", "TR-46", "TR-79", "TR-01", "TR-33",
];

const FIRST: &[(&str, &str)] = &[
    ("محمد", "Mohammad"),
    ("أحمد", "Ahmad"),
    ("عائشة", "Aisha"),
    ("فاطمة", "Fatima"),
    ("خالد", "Khaled"),
    ("رنا", "Rana"),
    ("عمر", "Omar"),
    ("ليلى", "Layla"),
    ("يوسف", "Yousef"),
    ("هبة", "Hiba"),
    ("سامر", "Samer"),
    ("نور", "Nour"),
    ("عبد الله", "Abdullah"),
    ("مريم", "Maryam"),
    ("زياد", "Ziad"),
    ("سلمى", "Salma"),
];

const FAMILY: &[(&str, &str)] = &[
    ("الأحمد", "al-Ahmad"),
    ("الحلبي", "al-Halabi"),
    ("الإدلبي", "al-Idlibi"),
    ("الخطيب", "al-Khatib"),
    ("العلي", "al-Ali"),
    ("السيد", "al-Sayed"),
    ("الحموي", "al-Hamawi"),
    ("النجار", "al-Najjar"),
    ("الشامي", "al-Shami"),
    ("قاسم", "Qassem"),
    ("حداد", "Haddad"),
    ("الدرويش", "al-Darwish"),
];

const TITLES: &[(&str, &str, &str)] = &[
    ("المدير التنفيذي", "Executive Director", "İcra Direktörü"),
    (
        "مسؤول التنسيق",
        "Coordination Focal Point",
        "Koordinasyon Sorumlusu",
    ),
];

fn acronym_of(en: &str) -> String {
    en.split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// The organisations of the demo network, as form input.
pub fn demo_orgs() -> Vec<OrgInput> {
    let mut rng = Rng(0x4D49_4E42_4152_2026);
    let mut out: Vec<OrgInput> = Vec::new();
    let mut taken = std::collections::HashSet::new();
    let mut used = std::collections::HashSet::new();
    for i in 0..42usize {
        // every organisation its own name: re-draw a combination already used
        let (c, p, t) = loop {
            let c = CONCEPTS[(i + rng.below(CONCEPTS.len())) % CONCEPTS.len()];
            let p = PURPOSES[rng.below(PURPOSES.len())];
            let t = TYPES[rng.below(TYPES.len())];
            if used.insert((c.0, p.0, t.0)) {
                break (c, p, t);
            }
        };
        let en = format!("{} {} {}", c.1, t.1, p.1);
        let mut acronym = acronym_of(&en);
        let mut n = 2;
        while !taken.insert(acronym.clone()) {
            acronym = format!("{}{}", acronym_of(&en), n);
            n += 1;
        }
        let mut areas = vec![SYRIA_AREAS[rng.below(SYRIA_AREAS.len())].to_string()];
        areas.push(TURKEY_AREAS[rng.below(TURKEY_AREAS.len())].to_string());
        if rng.below(2) == 0 {
            areas.push(SYRIA_AREAS[rng.below(SYRIA_AREAS.len())].to_string());
        }
        areas.dedup();
        let hq = ["TR-27", "TR-34", "TR-31", "SY-ID"][rng.below(4)];
        let status = match i {
            40 => "applicant",
            41 => "suspended",
            _ => "member",
        };
        out.push(OrgInput {
            acronym: acronym.clone(),
            name_ar: format!("{} {} {}", t.0, c.0, p.0),
            name_en: en,
            name_tr: format!("{} {} {}", c.2, p.2, t.2),
            kind: "member".into(),
            membership_status: status.into(),
            founding_year: (2011 + rng.below(10)).to_string(),
            registration_country: "TR".into(),
            registration_number: format!(
                "{}-{:05}",
                ["27", "34", "31"][rng.below(3)],
                1000 + rng.below(90000)
            ),
            registration_date: format!(
                "{}-{:02}-{:02}",
                2012 + rng.below(9),
                1 + rng.below(12),
                1 + rng.below(28)
            ),
            hq_area: hq.into(),
            website: format!("https://{}.example.org", acronym.to_lowercase()),
            email: format!("info@{}.example.org", acronym.to_lowercase()),
            phone: format!("+90 342 {:03} {:04}", rng.below(1000), rng.below(10000)),
            description_ar: format!("{} {} تعمل في شمال غرب سوريا وجنوب تركيا.", t.0, c.0),
            description_en: format!(
                "A Syrian {} working in north-west Syria and southern Türkiye.",
                t.1.to_lowercase()
            ),
            description_tr: String::new(),
            sectors: p.3.iter().map(|s| s.to_string()).collect(),
            areas,
        });
    }
    for (ar, en, tr, acr) in PARTNERS {
        out.push(OrgInput {
            acronym: acr.to_string(),
            name_ar: ar.to_string(),
            name_en: en.to_string(),
            name_tr: tr.to_string(),
            kind: "partner_body".into(),
            membership_status: "not_applicable".into(),
            hq_area: "TR-27".into(),
            areas: vec!["SY-ID".into(), "SY-HL".into()],
            ..Default::default()
        });
    }
    out
}

/// `n` more organisations in the demo's style (acronyms `BULK1`…), for benchmarks and
/// tests at scale. Deterministic.
pub fn bulk_orgs(n: usize) -> Vec<OrgInput> {
    let mut rng = Rng(0x4255_4C4B_0000_0001);
    (1..=n)
        .map(|i| {
            let c = CONCEPTS[rng.below(CONCEPTS.len())];
            let p = PURPOSES[rng.below(PURPOSES.len())];
            let t = TYPES[rng.below(TYPES.len())];
            let mut areas = vec![SYRIA_AREAS[rng.below(SYRIA_AREAS.len())].to_string()];
            areas.push(TURKEY_AREAS[rng.below(TURKEY_AREAS.len())].to_string());
            OrgInput {
                acronym: format!("BULK{i}"),
                name_ar: format!("{} {} {} {}", t.0, c.0, p.0, i),
                name_en: format!("{} {} {} {}", c.1, t.1, p.1, i),
                name_tr: format!("{} {} {} {}", c.2, p.2, t.2, i),
                kind: if i % 10 == 0 {
                    "ingo".into()
                } else {
                    "member".into()
                },
                membership_status: "member".into(),
                hq_area: TURKEY_AREAS[rng.below(TURKEY_AREAS.len())].into(),
                sectors: p.3.iter().map(|s| s.to_string()).collect(),
                areas,
                ..Default::default()
            }
        })
        .collect()
}

/// What [`load`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLoaded {
    pub organisations: usize,
    /// Meetings, with their minutes, decisions, action items and a proposal.
    pub meetings: usize,
    pub people: usize,
    pub users: usize,
    pub activities: usize,
    pub needs: usize,
}

/// The meeting the project grew from, as Minbar would have kept it (approved minutes, a
/// decision, an action item for the first member and a joint statement open for a week),
/// and the coming general assembly. `ids`: the demo's organisations, members first and
/// the partner bodies last.
async fn demo_meetings(store: &Store, ids: &[OrgId]) -> Result<usize, StoreError> {
    let invalid = StoreError::Invalid;
    let (first, second) = (ids[0], ids[1]);
    let partner = ids[ids.len() - PARTNERS.len()]; // the Civil Society Affairs Department
    let m = store
        .create_meeting(
            &MeetingDraft::parse(&MeetingInput {
                title: "اجتماع تنسيقي مع دائرة شؤون المجتمع المدني".into(),
                kind: "bilateral".into(),
                starts: "2026-11-20T11:00".into(),
                place: "غازي عنتاب".into(),
                organisers: vec![first.0, second.0],
                invited: vec![partner.0],
                visibility: "members".into(),
                ..Default::default()
            })
            .map_err(invalid)?,
        )
        .await?;
    for (name, org, role) in [
        ("السيدة كفاح مراد", partner, "عن دائرة شؤون المجتمع المدني"),
        ("محمد يحيى مكتبي", partner, "منسق مكتب الجاليات"),
        ("السيدة عائشة الدبس", first, "رئيسة مجلس الإدارة"),
        ("راتب الدبس", first, "رئيس لجنة العلاقات العربية"),
        ("سليمان السلامة", second, "عضو مكتب العلاقات العربية"),
    ] {
        store
            .add_attendee(
                m,
                &AttendeeDraft::parse(&AttendeeInput {
                    name: name.into(),
                    org_id: Some(org.0),
                    role: role.into(),
                    attended: true,
                    ..Default::default()
                })
                .map_err(invalid)?,
            )
            .await?;
    }
    let item = store
        .add_agenda_item(
            m,
            &Name::parse("آليات العمل المشترك").map_err(|e| StoreError::Other(e.code().into()))?,
            "تبادل الخبرات وتبادل المعلومات.",
        )
        .await?;
    store
        .add_agenda_item(
            m,
            &Name::parse("المقترحات والقرارات التركية التي تمس السوريين")
                .map_err(|e| StoreError::Other(e.code().into()))?,
            "",
        )
        .await?;
    store
        .add_decision(
            m,
            &DecisionDraft::parse(&DecisionInput {
                text: "تبادل المعلومات بين الطرفين شهرياً وتنظيم ورشة لتبادل الخبرات".into(),
                vote: "بالإجماع".into(),
                agenda_item: Some(item.0),
            })
            .map_err(invalid)?,
        )
        .await?;
    store
        .add_action(
            m,
            &ActionDraft::parse(&ActionInput {
                title: "إعداد ورقة عن القرارات التركية المتعلقة بالسوريين".into(),
                org_id: Some(first.0),
                due: crate::util::date_of(crate::util::now() + 10 * 86_400),
                agenda_item: None,
                ..Default::default()
            })
            .map_err(invalid)?,
        )
        .await?;
    let minutes = "## محضر الاجتماع\n\nعقدت دائرة شؤون المجتمع المدني اجتماعاً مع المنصة لبحث أوضاع السوريين في تركيا والمناطق المحررة وتعميق التعاون والتنسيق.\n\n- ناقش الطرفان آليات العمل المشترك، كتبادل الخبرات والمعلومات.\n- أكدا أهمية مناقشة المقترحات والقرارات التركية التي تخص السوريين.\n- طُرحت مقترحات للتعاون لإيصال مزيد من الدعم والخدمات إلى إدلب وريف حلب.";
    store
        .save_minutes(
            m,
            1,
            &MinutesText::parse(minutes).map_err(|e| StoreError::Other(e.code().into()))?,
        )
        .await?;
    store.move_minutes(m, MinutesState::Circulated).await?;
    store.move_minutes(m, MinutesState::Approved).await?;
    store
        .set_summary(
            m,
            &I18nText {
                ar: Some("بحثت المنصة مع دائرة شؤون المجتمع المدني آليات تبادل الخبرات والمعلومات، وأكد الطرفان أهمية متابعة القرارات التركية التي تمس السوريين.".into()),
                en: Some("The network and the Civil Society Affairs Department discussed how to exchange expertise and information, and stressed following Turkish decisions that affect Syrians.".into()),
                tr: None,
            },
            Visibility::Public,
        )
        .await?;
    let now = crate::util::now();
    store
        .create_proposal(&ProposalDraft {
            title: Name::parse("بيان مشترك حول تسهيل تجديد وثائق الحماية المؤقتة")
                .map_err(|e| StoreError::Other(e.code().into()))?,
            body: MinutesText::parse("تدعو المنظمات الأعضاء إلى **تسهيل** إجراءات تجديد وثائق الحماية المؤقتة وتمديد مهلها.")
                .map_err(|e| StoreError::Other(e.code().into()))?,
            kind: ProposalKind::JointPosition,
            meeting: Some(m),
            agenda_item: None,
            proposers: vec![first, second],
            window: endorsement::Window::new(now - 86_400, now + 7 * 86_400)
                .map_err(|e| StoreError::Other(e.code().into()))?,
            time_zone: DEFAULT_TIME_ZONE.into(),
            visibility: Visibility::Members,
        })
        .await?;
    store
        .create_meeting(
            &MeetingDraft::parse(&MeetingInput {
                title: "اجتماع الهيئة العامة".into(),
                kind: "general_assembly".into(),
                starts: "2026-12-15T10:00".into(),
                ends: "2026-12-15T14:00".into(),
                online_url: "https://meet.example.org/minbar-ga".into(),
                organisers: vec![first.0],
                invited: ids[..ids.len() - PARTNERS.len()]
                    .iter()
                    .map(|o| o.0)
                    .collect(),
                visibility: "members".into(),
                ..Default::default()
            })
            .map_err(invalid)?,
        )
        .await?;
    Ok(2)
}

/// The demo's reporting periods: six months up to the demo's "current" one.
pub const DEMO_PERIODS: [&str; 6] = [
    "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
];

/// The demo network's list of activity types per sector: code, Arabic, English, Turkish.
type TypeRow = (&'static str, &'static str, &'static str, &'static str);
const ACTIVITY_TYPES: &[(&str, &[TypeRow])] = &[
    (
        "wash",
        &[
            (
                "water-trucking",
                "نقل المياه بالصهاريج",
                "Water trucking",
                "Tankerle su taşıma",
            ),
            (
                "hygiene-kits",
                "توزيع سلال النظافة",
                "Hygiene kits",
                "Hijyen kiti dağıtımı",
            ),
            (
                "sewage-repair",
                "صيانة شبكات الصرف",
                "Sewage network repair",
                "Kanalizasyon onarımı",
            ),
        ],
    ),
    (
        "health",
        &[
            (
                "mobile-clinic",
                "عيادة متنقلة",
                "Mobile clinic",
                "Gezici klinik",
            ),
            (
                "clinic-support",
                "دعم مستوصف",
                "Health centre support",
                "Sağlık ocağı desteği",
            ),
            (
                "vaccination",
                "حملة تلقيح",
                "Vaccination campaign",
                "Aşı kampanyası",
            ),
        ],
    ),
    (
        "education",
        &[
            (
                "non-formal",
                "تعليم غير نظامي",
                "Non-formal education",
                "Yaygın eğitim",
            ),
            (
                "stationery",
                "توزيع قرطاسية",
                "Stationery distribution",
                "Kırtasiye dağıtımı",
            ),
            (
                "school-repair",
                "ترميم مدرسة",
                "School rehabilitation",
                "Okul onarımı",
            ),
        ],
    ),
    (
        "protection",
        &[
            (
                "case-management",
                "إدارة الحالات",
                "Case management",
                "Vaka yönetimi",
            ),
            (
                "pss",
                "دعم نفسي اجتماعي",
                "Psychosocial support",
                "Psikososyal destek",
            ),
            (
                "child-friendly-spaces",
                "مساحات صديقة للطفل",
                "Child-friendly spaces",
                "Çocuk dostu alanlar",
            ),
        ],
    ),
    (
        "food_security",
        &[
            ("food-baskets", "سلال غذائية", "Food baskets", "Gıda kolisi"),
            (
                "food-vouchers",
                "قسائم غذائية",
                "Food vouchers",
                "Gıda kuponu",
            ),
            (
                "bakery-support",
                "دعم مخابز",
                "Bakery support",
                "Fırın desteği",
            ),
        ],
    ),
    (
        "shelter",
        &[
            ("tents", "توزيع خيام", "Tent distribution", "Çadır dağıtımı"),
            (
                "winterisation",
                "عزل وتدفئة",
                "Insulation and heating",
                "Yalıtım ve ısınma",
            ),
            (
                "house-repair",
                "ترميم مساكن",
                "House repair",
                "Konut onarımı",
            ),
        ],
    ),
    (
        "nutrition",
        &[
            (
                "malnutrition-treatment",
                "علاج سوء التغذية",
                "Malnutrition treatment",
                "Yetersiz beslenme tedavisi",
            ),
            (
                "supplements",
                "مكملات غذائية",
                "Nutritional supplements",
                "Besin takviyesi",
            ),
        ],
    ),
    (
        "early_recovery",
        &[
            (
                "small-grants",
                "منح مشاريع صغيرة",
                "Small business grants",
                "Küçük işletme hibesi",
            ),
            (
                "vocational-training",
                "تدريب مهني",
                "Vocational training",
                "Mesleki eğitim",
            ),
        ],
    ),
    (
        "logistics",
        &[(
            "supply-transport",
            "نقل إمدادات",
            "Supply transport",
            "Malzeme taşıma",
        )],
    ),
    (
        "cccm",
        &[(
            "camp-management",
            "إدارة مخيمات",
            "Camp management",
            "Kamp yönetimi",
        )],
    ),
    (
        "etc",
        &[(
            "connectivity",
            "دعم الاتصالات",
            "Connectivity support",
            "İletişim desteği",
        )],
    ),
];

/// The demo network's activity types, as the store keeps them.
pub fn demo_activity_types() -> Vec<ActivityType> {
    ACTIVITY_TYPES
        .iter()
        .flat_map(|(sector, types)| {
            types.iter().map(move |(code, ar, en, tr)| ActivityType {
                sector: SectorCode::parse(sector).expect("a seeded sector"),
                code: code.to_string(),
                name: I18nText {
                    ar: Some(ar.to_string()),
                    en: Some(en.to_string()),
                    tr: Some(tr.to_string()),
                },
            })
        })
        .collect()
}

/// Give the demo's sectors their lists of activity types (those not there yet).
async fn seed_activity_types(store: &Store) -> Result<(), StoreError> {
    let have = store.activity_types().await?;
    for t in demo_activity_types() {
        if have.of(t.sector.as_str()).all(|h| h.code != t.code) {
            store.add_activity_type(&t).await?;
        }
    }
    Ok(())
}

/// Activities for the demo's member organisations over [`DEMO_PERIODS`], and needs for
/// every Syrian province and main sector, the same on every run.
pub fn demo_activities(orgs: &[(OrgId, OrgInput)]) -> (Vec<ActivityDraft>, Vec<NeedDraft>) {
    let mut rng = Rng(0x3457_2026_0000_0001);
    let mut activities = Vec::new();
    let listed = ActivityTypes::new(demo_activity_types());
    let five = |t: i64, split: bool| -> [String; 5] {
        if split {
            let w = t * 3 / 10;
            let m = t / 5;
            let g = t / 4;
            let b = t - w - m - g;
            [w, m, g, b, t].map(|n| n.to_string())
        } else {
            [
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                t.to_string(),
            ]
        }
    };
    for (id, o) in orgs.iter().filter(|(_, o)| o.kind == "member") {
        let mut syria: Vec<&String> = o.areas.iter().filter(|a| a.starts_with("SY-")).collect();
        syria.sort();
        syria.dedup();
        for sector in o.sectors.iter().take(2) {
            let types = ACTIVITY_TYPES
                .iter()
                .find(|(s, _)| s == sector)
                .map(|(_, t)| *t)
                .unwrap_or(&[("", "أنشطة متنوعة", "", "")]);
            // as members write them, in Arabic: the list resolves the name to its code
            let (_, activity_type, _, _) = types[rng.below(types.len())];
            for area in syria.iter().take(2) {
                let base = 200 + rng.below(3000) as i64;
                let split = rng.below(3) > 0;
                let modality = ["in_kind", "cash", "service"][rng.below(3)];
                let donor = ["ECHO", "BHA", "FCDO", "SDC", ""][rng.below(5)];
                for (k, period) in DEMO_PERIODS.iter().enumerate() {
                    // some organisations have not reported the last month yet
                    if k == DEMO_PERIODS.len() - 1 && rng.below(3) == 0 {
                        continue;
                    }
                    let targeted = base + (k as i64) * 20;
                    let reached = targeted * (40 + rng.below(70) as i64) / 100;
                    let input = ActivityInput {
                        period: period.to_string(),
                        sector: sector.clone(),
                        activity_type: activity_type.into(),
                        area: area.to_string(),
                        donor: donor.into(),
                        status: if k == DEMO_PERIODS.len() - 1 {
                            "ongoing"
                        } else {
                            "completed"
                        }
                        .into(),
                        modality: modality.into(),
                        targeted: five(targeted, split),
                        reached: five(reached, split),
                        households: (reached / 5).to_string(),
                        ..Default::default()
                    };
                    if let Ok((d, _)) = input.parse(*id, &listed) {
                        activities.push(d);
                    }
                }
            }
        }
    }
    let mut needs = Vec::new();
    for area in SYRIA_AREAS {
        for sector in [
            "wash",
            "health",
            "food_security",
            "protection",
            "shelter",
            "education",
        ] {
            let pin = 1_000 + rng.below(60) as i64 * 250;
            let sev = 2 + rng.below(4);
            let input = NeedInput {
                area: area.to_string(),
                sector: sector.into(),
                period: DEMO_PERIODS[0].into(),
                in_need: [
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    pin.to_string(),
                ],
                severity: sev.to_string(),
                source: "تقييم الاحتياجات الإنسانية 2026 (بيانات تجريبية)".into(),
            };
            if let Ok(d) = input.parse() {
                needs.push(d);
            }
        }
    }
    (activities, needs)
}

/// Load the demo network unless the directory already has organisations.
pub async fn load(store: &Store) -> Result<Option<DemoLoaded>, StoreError> {
    let existing = store
        .list_orgs(&crate::directory::OrgFilter {
            per_page: 1,
            ..Default::default()
        })
        .await?;
    if existing.total > 0 {
        return Ok(None);
    }
    let mut rng = Rng(0x5045_4F50_4C45_0042);
    let mut ids = Vec::new();
    let mut with_input = Vec::new();
    for input in demo_orgs() {
        let draft = OrgDraft::parse(&input).map_err(StoreError::Invalid)?;
        let id = store.create_org(&draft).await?;
        ids.push(id);
        with_input.push((id, input));
    }
    seed_activity_types(store).await?;
    let (activities, needs) = demo_activities(&with_input);
    let rows: Vec<(usize, ActivityDraft)> = activities.into_iter().enumerate().collect();
    let a = store.import_activities(&rows, false, false).await?;
    let rows: Vec<(usize, NeedDraft)> = needs.into_iter().enumerate().collect();
    let n = store.import_needs(&rows, false, false).await?;
    if !a.rejected.is_empty() || !n.rejected.is_empty() {
        return Err(StoreError::Other(format!(
            "demo 4W data refused: {:?} {:?}",
            a.rejected.first(),
            n.rejected.first()
        )));
    }
    // the rounds: the older months validated, the last one in every state
    for (i, id) in ids.iter().enumerate().take(42) {
        for p in &DEMO_PERIODS[..DEMO_PERIODS.len() - 1] {
            let p = Period::parse(p).expect("valid");
            if store.round(*id, p).await?.0 != RoundState::NotStarted {
                store.set_round(*id, p, RoundState::Submitted, None).await?;
                store.set_round(*id, p, RoundState::Validated, None).await?;
            }
        }
        let last = Period::parse(DEMO_PERIODS[DEMO_PERIODS.len() - 1]).expect("valid");
        if i > 0 && i % 4 == 1 && store.round(*id, last).await?.0 != RoundState::NotStarted {
            store
                .set_round(*id, last, RoundState::Submitted, None)
                .await?;
        }
    }
    let mut people = 0;
    for (i, id) in ids.iter().enumerate().take(42) {
        for (k, title) in TITLES.iter().enumerate() {
            let f = FIRST[rng.below(FIRST.len())];
            let l = FAMILY[rng.below(FAMILY.len())];
            let input = PersonInput {
                name_ar: format!("{} {}", f.0, l.0),
                name_en: format!("{} {}", f.1, l.1),
                email: format!("person{}-{}@example.org", i + 1, k + 1),
                email_visibility: "members".into(),
                phone: format!(
                    "+90 5{:02} {:03} {:04}",
                    rng.below(100),
                    rng.below(1000),
                    rng.below(10000)
                ),
                phone_visibility: "coordinators".into(),
                committees: if k == 0 && i % 5 == 0 {
                    "لجنة العلاقات العربية".into()
                } else {
                    String::new()
                },
                org_id: Some(id.0),
                title_ar: title.0.into(),
                title_en: title.1.into(),
                title_tr: title.2.into(),
                from: format!("{}-01-01", 2018 + rng.below(6)),
                ..Default::default()
            };
            let d = PersonDraft::parse(&input).map_err(StoreError::Invalid)?;
            store.create_person(&d).await?;
            people += 1;
        }
    }
    let pw = |s: &str| Password::parse(s).map_err(|e| StoreError::Other(e.code().into()));
    let email = |s: &str| Email::parse(s).map_err(|e| StoreError::Other(e.code().into()));
    store
        .create_user(
            &email(COORDINATOR_EMAIL)?,
            &pw(COORDINATOR_PASSWORD)?,
            Role::Coordinator,
            None,
        )
        .await?;
    store
        .create_user(
            &email(FOCAL_POINT_EMAIL)?,
            &pw(FOCAL_POINT_PASSWORD)?,
            Role::FocalPoint,
            Some(ids[0]),
        )
        .await?;
    let meetings = demo_meetings(store, &ids).await?;
    for (title, body, kind, org, pinned, visibility) in [
        (
            "دعوة لاجتماع الهيئة العامة",
            "تدعو الأمانة العامة المنظمات الأعضاء إلى اجتماع الهيئة العامة في **١٥ كانون الأول**. يرجى تأكيد الحضور.",
            "call",
            None,
            true,
            "members",
        ),
        (
            "تنبيه: مواعيد تجديد وثائق الحماية المؤقتة",
            "صدرت تعليمات جديدة بشأن تجديد وثائق الحماية المؤقتة في غازي عنتاب وشانلي أورفا. التفاصيل في متتبع السياسات قريباً.",
            "alert",
            None,
            false,
            "public",
        ),
        (
            "افتتاح مركز صحي جديد في ريف حلب",
            "افتتحت المنظمة مركزاً صحياً يقدم خدمات الرعاية الأولية والصحة الإنجابية.",
            "news",
            Some(ids[1]),
            false,
            "public",
        ),
    ] {
        let d = BulletinDraft::parse(&BulletinInput {
            title: title.into(),
            body: body.into(),
            kind: kind.into(),
            org_id: org.map(|o: OrgId| o.0),
            pinned,
            visibility: visibility.into(),
            ..Default::default()
        })
        .map_err(StoreError::Invalid)?;
        store.create_bulletin(&d).await?;
    }
    demo_documents(store, &ids).await?;
    demo_policy(store).await?;
    demo_expertise(store, &ids).await?;
    Ok(Some(DemoLoaded {
        organisations: ids.len(),
        meetings,
        people,
        users: 2,
        activities: a.created,
        needs: n.created,
    }))
}

/// A few documents in the library, in the languages the network writes in.
async fn demo_documents(store: &Store, ids: &[OrgId]) -> Result<(), StoreError> {
    let docs = [
        DocumentInput {
            title_ar: "دليل مسارات الإحالة لحالات حماية الطفل".into(),
            title_en: "Child protection referral pathways".into(),
            summary_ar: "من يستقبل الإحالات في إدلب وريف حلب الشمالي، وكيف تُرسل الحالة بأمان.".into(),
            summary_en: "Who takes referrals in Idlib and northern Aleppo, and how to send a case safely.".into(),
            body: "## قبل الإحالة\n\n- موافقة الطفل ووليّه\n- تقييم المخاطر\n\n## جهات الاستقبال\n\nانظر الجدول المرفق.".into(),
            org_id: Some(ids[0].0),
            tags: vec!["حماية الطفل، الإحالة".into()],
            sector: "protection".into(),
            area: "SY-ID".into(),
            lang: "ar".into(),
            date: "2026-09-20".into(),
            visibility: "members".into(),
            ..Default::default()
        },
        DocumentInput {
            title_ar: "موجز: الحماية المؤقتة وتصاريح العمل في تركيا".into(),
            title_en: "Brief: temporary protection and work permits in Türkiye".into(),
            title_tr: "Özet: Türkiye'de geçici koruma ve çalışma izinleri".into(),
            summary_ar: "ما تغيّر في شروط تصاريح العمل لحاملي بطاقة الحماية المؤقتة.".into(),
            body: "يعرض هذا الموجز **الشروط الحالية** ومواعيد التجديد، ويقترح نقاطاً للمناصرة.".into(),
            tags: vec!["الحماية المؤقتة، سبل العيش".into()],
            area: "TR-27".into(),
            lang: "ar".into(),
            date: "2026-11-10".into(),
            visibility: "public".into(),
            ..Default::default()
        },
        DocumentInput {
            title_en: "Winterisation lessons learnt 2025–26".into(),
            summary_en: "What worked in cash for heating and in-kind kits across camps.".into(),
            body: "Notes from the shelter working group.".into(),
            org_id: Some(ids[1].0),
            tags: vec!["winterisation, cash".into()],
            sector: "shelter".into(),
            lang: "en".into(),
            date: "2026-06-01".into(),
            visibility: "partners".into(),
            ..Default::default()
        },
    ];
    for i in docs {
        let d = DocumentDraft::parse(&i).map_err(StoreError::Invalid)?;
        store.create_document(&d).await?;
    }
    Ok(())
}

/// Two authorities in the directory and the decisions the network follows, one with the
/// network's position (the demo's open joint statement) and advocacy.
async fn demo_policy(store: &Store) -> Result<(), StoreError> {
    let mut authorities = Vec::new();
    for (acronym, ar, en, tr) in [
        (
            "PMM",
            "رئاسة إدارة الهجرة",
            "Presidency of Migration Management",
            "Göç İdaresi Başkanlığı",
        ),
        (
            "GAZ-GOV",
            "ولاية غازي عنتاب",
            "Governorship of Gaziantep",
            "Gaziantep Valiliği",
        ),
    ] {
        let d = OrgDraft::parse(&OrgInput {
            acronym: acronym.into(),
            name_ar: ar.into(),
            name_en: en.into(),
            name_tr: tr.into(),
            kind: "authority".into(),
            membership_status: "not_applicable".into(),
            registration_country: "TR".into(),
            ..Default::default()
        })
        .map_err(StoreError::Invalid)?;
        authorities.push(store.create_org(&d).await?);
    }
    let statement = store
        .list_proposals(&None, None)
        .await?
        .into_iter()
        .next()
        .map(|p| p.id.0);
    let items = [
        PolicyInput {
            title_ar: "تعميم بشأن أذونات السفر بين الولايات لحاملي الحماية المؤقتة".into(),
            title_en: "Circular on travel permits between provinces for temporary protection holders".into(),
            title_tr: "Geçici koruma sahipleri için iller arası yol izni genelgesi".into(),
            summary_ar: "يشترط إذن سفر إلكترونياً لكل تنقل بين الولايات، ويحدّد مدته بخمسة عشر يوماً.".into(),
            authority_id: Some(authorities[0].0),
            instrument: "circular".into(),
            reference: "2026/14".into(),
            issued: "2026-10-01".into(),
            effective: "2026-10-15".into(),
            status: "in_force".into(),
            areas: vec!["TR".into()],
            groups: vec!["temporary_protection".into()],
            topics: vec!["movement".into(), "registration".into()],
            impact: "high".into(),
            sources: vec!["https://www.goc.gov.tr/".into()],
            analysis: "تؤثر المدة القصيرة على **العمال الموسميين** والمراجعين الطبيين. تقترح الشبكة تمديدها إلى ثلاثين يوماً.".into(),
            proposal_id: statement,
            visibility: "public".into(),
            ..Default::default()
        },
        PolicyInput {
            title_ar: "مشروع لائحة تصاريح العمل للاجئين".into(),
            title_en: "Draft regulation on work permits for refugees".into(),
            summary_ar: "مسودة متداولة تقترح حصصاً لكل ولاية.".into(),
            instrument: "draft_proposal".into(),
            status: "proposed".into(),
            areas: vec!["TR".into()],
            groups: vec!["workers".into(), "temporary_protection".into()],
            topics: vec!["work_permits".into()],
            impact: "critical".into(),
            visibility: "members".into(),
            ..Default::default()
        },
        PolicyInput {
            title_ar: "إعلان ولاية غازي عنتاب حول التسجيل المدرسي".into(),
            title_tr: "Gaziantep Valiliği okul kaydı duyurusu".into(),
            authority_id: Some(authorities[1].0),
            instrument: "announcement".into(),
            issued: "2026-08-25".into(),
            effective: "2026-09-01".into(),
            expires: "2027-06-30".into(),
            status: "in_force".into(),
            areas: vec!["TR-27".into()],
            groups: vec!["children".into(), "students".into()],
            topics: vec!["education".into()],
            impact: "medium".into(),
            visibility: "public".into(),
            ..Default::default()
        },
    ];
    for (n, i) in items.iter().enumerate() {
        let d = PolicyDraft::parse(i).map_err(StoreError::Invalid)?;
        let id = store.create_policy(&d).await?;
        if n == 0 {
            let a = AdvocacyDraft::parse(&AdvocacyInput {
                raised_with: "مديرية الهجرة في غازي عنتاب".into(),
                raised_on: "2026-10-20".into(),
                ask: "تمديد مدة إذن السفر إلى ثلاثين يوماً للعلاج والعمل الموسمي".into(),
                answer: "وُعد بدراسة الطلب مع المقر المركزي".into(),
                answered_on: "2026-11-05".into(),
            })
            .map_err(StoreError::Invalid)?;
            store.add_advocacy(id, &a).await?;
        }
    }
    Ok(())
}

/// Offers and a request of expertise, so the exchange has something to match.
async fn demo_expertise(store: &Store, ids: &[OrgId]) -> Result<(), StoreError> {
    let items = [
        ExpertiseInput {
            kind: "offer".into(),
            org_id: Some(ids[2].0),
            title: "تدريب على إدارة حالات حماية الطفل".into(),
            description: "تدريب من ثلاثة أيام على إدارة الحالة وفق المعايير الدنيا لحماية الطفل، مع نماذج الإحالة.".into(),
            sector: "protection".into(),
            topics: vec!["إدارة الحالة، حماية الطفل".into()],
            languages: vec!["ar".into(), "en".into()],
            areas: vec!["TR-27".into()],
            format: "either".into(),
            visibility: "members".into(),
            ..Default::default()
        },
        ExpertiseInput {
            kind: "offer".into(),
            org_id: Some(ids[3].0),
            title: "مساعدة في إنشاء آلية الشكاوى والملاحظات".into(),
            description: "نرافق المنظمة في تصميم صناديق الشكاوى والخط الساخن وإجراءات الرد.".into(),
            sector: "protection".into(),
            topics: vec!["المساءلة، آلية الشكاوى".into()],
            languages: vec!["ar".into(), "tr".into()],
            format: "online".into(),
            visibility: "members".into(),
            ..Default::default()
        },
        ExpertiseInput {
            kind: "request".into(),
            org_id: Some(ids[4].0),
            title: "نحتاج تدريباً على قياس الأثر".into(),
            description: "نبحث عن جهة تدرّب فريق الرصد والتقييم على مؤشرات الأثر.".into(),
            topics: vec!["الرصد والتقييم".into()],
            languages: vec!["ar".into()],
            format: "online".into(),
            visibility: "members".into(),
            ..Default::default()
        },
    ];
    for i in items {
        let d = ExpertiseDraft::parse(&i).map_err(StoreError::Invalid)?;
        store.create_expertise(&d).await?;
    }
    Ok(())
}

/// The months of the large demo: 36, from January 2024 to December 2026.
pub fn large_periods() -> Vec<Period> {
    let mut p = Period::new(2024, 1).expect("valid");
    (0..36)
        .map(|_| {
            let this = p;
            p = p.next();
            this
        })
        .collect()
}

/// What [`load_large`] added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeLoaded {
    pub organisations: usize,
    pub activities: usize,
    pub needs: usize,
}

/// The demo at scale, for benchmarks and for trying the dashboards at size: generated
/// organisations up to `orgs` in all, and `activities` activities spread evenly over
/// [`large_periods`] (up to 15 per organisation and month, each in its own area), with
/// needs for every Syrian province and main sector in every month. Deterministic. Calls
/// `progress(done, total)` as activities are written.
pub async fn load_large(
    store: &Store,
    orgs: usize,
    activities: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<LargeLoaded, StoreError> {
    let existing = store
        .list_orgs(&crate::directory::OrgFilter {
            per_page: 1,
            ..Default::default()
        })
        .await?
        .total as usize;
    let mut added = 0;
    for input in bulk_orgs(orgs.saturating_sub(existing)) {
        let draft = OrgDraft::parse(&input).map_err(StoreError::Invalid)?;
        match store.create_org(&draft).await {
            Ok(_) => added += 1,
            Err(StoreError::Invalid(_)) => {} // already there from an earlier run
            Err(e) => return Err(e),
        }
    }
    // the generated organisations, by acronym, in a fixed order
    let mut ids: Vec<(usize, OrgId)> = Vec::new();
    let mut f = crate::directory::OrgFilter {
        q: Some("BULK".into()),
        page: 1,
        per_page: crate::directory::OrgFilter::MAX_PER_PAGE,
        ..Default::default()
    };
    loop {
        let page = store.list_orgs(&f).await?;
        for o in &page.items {
            if let Some(n) = o.acronym.strip_prefix("BULK").and_then(|n| n.parse().ok()) {
                ids.push((n, o.id));
            }
        }
        if page.page * page.per_page >= page.total {
            break;
        }
        f.page += 1;
    }
    ids.sort();
    let ids: Vec<OrgId> = ids.into_iter().map(|(_, id)| id).collect();
    if ids.is_empty() {
        return Err(StoreError::Other(
            "no generated organisations to report for".into(),
        ));
    }
    seed_activity_types(store).await?;
    let periods = large_periods();
    let per_org = 15usize;
    let capacity = ids.len() * per_org * periods.len();
    if activities > capacity {
        return Err(StoreError::Other(format!(
            "{activities} activities need at least {} organisations",
            activities.div_ceil(per_org * periods.len())
        )));
    }
    let areas: Vec<String> = crate::seed::admin1_areas()
        .into_iter()
        .map(|a| a.code)
        .filter(|c| !c.contains('~'))
        .collect();
    let sectors: Vec<&str> = ACTIVITY_TYPES.iter().map(|(s, _)| *s).collect();
    let mut rng = Rng(0x4C41_5247_4534_5700);
    let mut done = 0;
    for (pi, period) in periods.iter().enumerate() {
        let n = activities / periods.len() + usize::from(pi < activities % periods.len());
        let mut rows = Vec::with_capacity(n);
        for j in 0..n {
            let (o, k) = (j / per_org, j % per_org);
            let sector = sectors[(o + k) % sectors.len()];
            let types = ACTIVITY_TYPES
                .iter()
                .find(|(s, _)| *s == sector)
                .map(|(_, t)| *t)
                .unwrap_or(&[("misc", "", "", "")]);
            let area = &areas[(o * 7 + k) % areas.len()];
            let targeted = 100 + rng.below(5000) as i64;
            let reached = targeted * (30 + rng.below(80) as i64) / 100;
            let people = |t: i64| People {
                total: Some(t),
                ..Default::default()
            };
            let d = ActivityDraft {
                org: ids[o % ids.len()],
                period: *period,
                sector: SectorCode::parse(sector).expect("a seeded sector"),
                activity_type: Some(types[k % types.len()].0.to_string()),
                area: AreaCode::parse(area).expect("a seeded area"),
                partners: None,
                donor: None,
                start: Some(Date::parse(&period.first_day()).expect("valid")),
                end: Some(Date::parse(&period.last_day()).expect("valid")),
                status: ActivityStatus::Completed,
                modality: Some(Modality::ALL[k % 3]),
                targeted: people(targeted),
                reached: people(reached),
                households: Some(reached / 5),
                notes: None,
            };
            rows.push((j + 1, d));
        }
        let out = store.import_activities(&rows, false, false).await?;
        if let Some((row, e)) = out.rejected.first() {
            return Err(StoreError::Other(format!(
                "large demo row {row} refused: {e}"
            )));
        }
        done += out.created + out.updated;
        progress(done, activities);
    }
    let mut needs = Vec::new();
    for period in &periods {
        for area in SYRIA_AREAS {
            for sector in [
                "wash",
                "health",
                "food_security",
                "protection",
                "shelter",
                "education",
            ] {
                needs.push(NeedDraft {
                    area: AreaCode::parse(area).expect("valid"),
                    sector: SectorCode::parse(sector).expect("valid"),
                    period: *period,
                    in_need: People {
                        total: Some(50_000 + rng.below(400) as i64 * 1_000),
                        ..Default::default()
                    },
                    severity: Severity::new(2 + rng.below(4) as u8).expect("valid"),
                    source: Some("demo".into()),
                });
            }
        }
    }
    let rows: Vec<(usize, NeedDraft)> = needs.into_iter().enumerate().collect();
    let n = store.import_needs(&rows, false, false).await?;
    Ok(LargeLoaded {
        organisations: added,
        activities: done,
        needs: n.created + n.updated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_network_is_deterministic_and_valid() {
        let a = demo_orgs();
        let b = demo_orgs();
        assert_eq!(a.len(), 47);
        assert_eq!(a.iter().filter(|o| o.kind == "member").count(), 42);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.acronym, y.acronym);
            assert_eq!(x.areas, y.areas);
            OrgDraft::parse(x).unwrap_or_else(|e| panic!("{}: {e}", x.acronym));
        }
        let acronyms: std::collections::HashSet<_> = a.iter().map(|o| o.acronym.clone()).collect();
        assert_eq!(acronyms.len(), 47);
        let names: std::collections::HashSet<_> = a.iter().map(|o| o.name_ar.clone()).collect();
        assert_eq!(names.len(), 47, "every organisation has its own name");
    }
}
