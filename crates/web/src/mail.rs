//! Sending the mail the store queued, over SMTP with lettre. `minbar serve` runs
//! [`Mailer::deliver_due`] every few seconds when a mail server is configured
//! (`--smtp-url`); without one, nothing is queued and pages show links instead.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use minbar_store::{Store, StoreError};
use std::time::Duration;

/// An SMTP connection recipe and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// `url`: `smtp://host:port` (plain, for a local relay), `smtp://host:587?tls=required`
    /// (STARTTLS), `smtps://user:password@host:465` (TLS). `from`: `Name <address>`.
    pub fn from_url(url: &str, from: &str) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("the sender address {from:?}: {e}"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("the SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Mailer { transport, from })
    }

    /// Send one message now.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("recipient {to:?}: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Deliver what is due; failures wait and are tried again later. Returns how many
    /// went.
    pub async fn deliver_due(&self, store: &Store) -> Result<usize, StoreError> {
        let mut sent = 0;
        for m in store.due_mail(50).await? {
            match self.send(&m.to, &m.subject, &m.body).await {
                Ok(()) => {
                    store.mail_sent(m.id).await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(id = m.id, error = %e, "mail not delivered; will retry");
                    store.mail_failed(&m, &e).await?;
                }
            }
        }
        Ok(sent)
    }
}

/// The invitation e-mail (subject, body) in `lang`, with the link for `token`.
pub fn invitation(
    lang: minbar_core::Lang,
    base_url: &str,
    token: &str,
    inviter: &str,
    role: minbar_core::Role,
) -> (String, String) {
    use crate::i18n::translate;
    use fluent_bundle::FluentValue;
    let link = format!("{}/invitation/{token}", base_url.trim_end_matches('/'));
    let role_name = translate(lang, &format!("role-{}", role.code()), &[]);
    let args = [
        ("link", FluentValue::from(link)),
        ("inviter", FluentValue::from(inviter.to_string())),
        ("role", FluentValue::from(role_name)),
    ];
    (
        translate(lang, "mail-invite-subject", &[]),
        translate(lang, "mail-invite-body", &args),
    )
}

/// The password-reset e-mail (subject, body) in `lang`, with the link for `token`.
pub fn reset(lang: minbar_core::Lang, base_url: &str, token: &str) -> (String, String) {
    use crate::i18n::translate;
    use fluent_bundle::FluentValue;
    let link = format!("{}/password-reset/{token}", base_url.trim_end_matches('/'));
    (
        translate(lang, "mail-reset-subject", &[]),
        translate(
            lang,
            "mail-reset-body",
            &[("link", FluentValue::from(link))],
        ),
    )
}

/// A message in Arabic then English, for recipients who may have no account (and so no
/// language of their own: the people listed on a meeting): the subjects joined by
/// " / ", the bodies one after the other. `key` names the
/// `KEY-subject` and `KEY-body` messages.
fn bilingual(key: &str, args: &[(&str, fluent_bundle::FluentValue<'_>)]) -> (String, String) {
    use crate::i18n::translate;
    let part = |lang| {
        (
            translate(lang, &format!("{key}-subject"), args),
            translate(lang, &format!("{key}-body"), args),
        )
    };
    let (ar_s, ar_b) = part(minbar_core::Lang::Ar);
    let (en_s, en_b) = part(minbar_core::Lang::En);
    (
        format!("{ar_s} / {en_s}"),
        format!("{ar_b}\n\n---\n\n{en_b}"),
    )
}

/// The reminder to an organisation that has not answered a proposal, in the language the
/// focal point chose for their e-mail, with the link and the closing time in the
/// proposal's time zone.
pub fn reminder(
    base_url: &str,
    r: &minbar_store::proposals::Reminder,
    lang: minbar_core::Lang,
) -> (String, String) {
    use fluent_bundle::FluentValue;
    let link = format!(
        "{}/proposals/{}",
        base_url.trim_end_matches('/'),
        r.proposal
    );
    let closes = format!(
        "{} ({})",
        minbar_core::utc_to_local(r.closes_at, &r.time_zone),
        r.time_zone
    );
    let args = [
        ("title", FluentValue::from(r.title.clone())),
        ("closes", FluentValue::from(closes)),
        ("link", FluentValue::from(link)),
    ];
    (
        crate::i18n::translate(lang, "mail-remind-subject", &args),
        crate::i18n::translate(lang, "mail-remind-body", &args),
    )
}

/// How long before closing organisations that have not answered are reminded.
pub const REMIND_BEFORE: i64 = 48 * 3600;

/// The coordination cycle's timed work, run every few seconds by `minbar serve`: seal
/// the proposals whose window has closed, and queue reminders for those closing within
/// [`REMIND_BEFORE`] to organisations that have not answered (once per proposal).
/// Returns (sealed, reminded).
pub async fn coordination_pass(
    store: &Store,
    base_url: &str,
) -> Result<(usize, usize), StoreError> {
    let now = minbar_store::util::now();
    let sealed = store.seal_due(now).await?;
    let mut reminded = 0;
    for r in store.reminders_due(now, REMIND_BEFORE).await? {
        let messages: Vec<(String, String, String)> =
            r.to.iter()
                .map(|(to, lang)| {
                    let lang = minbar_core::Lang::parse(lang).unwrap_or(minbar_core::Lang::Ar);
                    let (subject, body) = reminder(base_url, &r, lang);
                    (to.clone(), subject, body)
                })
                .collect();
        store.send_reminder(r.proposal, &messages).await?;
        reminded += 1;
    }
    Ok((sealed, reminded))
}

/// The e-mail for an account's notifications, in the account's language: immediate
/// (assignments, an accepted offer) or a digest, one line per item with its address.
pub fn notification_mail(
    base_url: &str,
    due: &minbar_store::notifications::MailDue,
) -> (String, String) {
    use fluent_bundle::FluentValue;
    let lang = minbar_core::Lang::parse(&due.lang).unwrap_or(minbar_core::Lang::Ar);
    let t = crate::i18n::Tr(lang);
    let base = base_url.trim_end_matches('/');
    let n = due.items.len() as i64;
    let key = if due.immediate {
        "mail-now"
    } else {
        "mail-digest"
    };
    let subject = crate::i18n::translate(
        lang,
        &format!("{key}-subject"),
        &[("count", FluentValue::from(n))],
    );
    let mut body = crate::i18n::translate(
        lang,
        &format!("{key}-intro"),
        &[("count", FluentValue::from(n))],
    );
    body.push_str("\n\n");
    for item in &due.items {
        body.push_str(&format!(
            "• {} — {}\n  {base}{}\n",
            t.get(&format!("notification-{}", item.kind)),
            item.title,
            item.link
        ));
    }
    body.push_str(&format!(
        "\n{}\n{base}/account/notifications\n",
        t.get("mail-prefs-footer")
    ));
    (subject, body)
}

/// Queue the e-mail now due for notifications: immediate ones, and digests whose day or
/// week has come. Returns how many messages were queued.
pub async fn notification_pass(store: &Store, base_url: &str) -> Result<usize, StoreError> {
    let now = minbar_store::util::now();
    let due = store.mail_due(now).await?;
    for d in &due {
        let (subject, body) = notification_mail(base_url, d);
        store
            .queue_notification_mail(d, &subject, &body, now)
            .await?;
    }
    Ok(due.len())
}

/// A meeting's invitation: in Arabic and English, with its time in its own zone, the
/// place or the online link, and the addresses of its page and of its `.ics` event.
///
/// `lang`: the language an account chose for its e-mail; `None` (an address without an
/// account) gets Arabic and English together.
pub fn meeting_invitation(
    base_url: &str,
    m: &minbar_store::meetings::Meeting,
    lang: Option<minbar_core::Lang>,
) -> (String, String) {
    use fluent_bundle::FluentValue;
    let base = base_url.trim_end_matches('/');
    let when = format!(
        "{} ({})",
        minbar_core::utc_to_local(m.starts_at, &m.time_zone),
        m.time_zone
    );
    let place = m
        .place
        .clone()
        .or_else(|| m.online_url.clone())
        .unwrap_or_default();
    let args = [
        ("title", FluentValue::from(m.title.clone())),
        ("when", FluentValue::from(when)),
        ("place", FluentValue::from(place)),
        (
            "link",
            FluentValue::from(format!("{base}/meetings/{}", m.id)),
        ),
        (
            "ics",
            FluentValue::from(format!("{base}/meetings/{}/calendar.ics", m.id)),
        ),
    ];
    match lang {
        Some(l) => (
            crate::i18n::translate(l, "mail-meeting-subject", &args),
            crate::i18n::translate(l, "mail-meeting-body", &args),
        ),
        None => bilingual("mail-meeting", &args),
    }
}
