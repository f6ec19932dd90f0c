//! Notification mail (issue 10, item 5): a small SMTP client over tokio and the background task
//! that `skillbridge serve` runs. The task, every `interval_secs`, asks the store's notifier to
//! queue a mail for each new to-do of every user who asked for e-mail
//! (`store.todos().notify_sweep`, which records the item as notified and queues the mail in one
//! transaction), then delivers the mails that are due. A failed delivery is recorded with a
//! back-off (`core::modules::todos::retry_delay`) and retried by a later round; it never reaches
//! the request that created the item, which only changed the workflow's tables.
//!
//! The client speaks plain SMTP (EHLO, MAIL, RCPT, DATA, QUIT) to one configured relay, which is
//! how a campus server usually sends: through the college's relay on its own network, or a local
//! MTA. It has no TLS and sends no credentials. *Rejected:* `lettre` with rustls, which would
//! add a TLS stack and its build to every build of the workspace for a feature most
//! installations point at a local relay; STARTTLS and authentication can come with it later.

use skillbridge_core::modules::todos::{mail_date_now, Mail};
use skillbridge_store::{OutboxMail, Store};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Mail settings. Mail is off unless `smtp` is set.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The relay, `host:port`; `None`: no mail is sent (to-dos still work).
    pub smtp: Option<String>,
    /// The sender address.
    pub from: String,
    /// The address users open the pages at, for the links in mails (`https://sb.college.edu.cn`).
    pub public_url: String,
    /// Seconds between rounds of the notifier.
    pub interval_secs: u64,
    /// The first retry's delay in seconds (then doubling, at most an hour).
    pub retry_base_secs: u64,
    /// Seconds a connection or a reply may take.
    pub timeout_secs: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp: None,
            from: "noreply@localhost".into(),
            public_url: "http://localhost:8080".into(),
            interval_secs: 60,
            retry_base_secs: 60,
            timeout_secs: 20,
        }
    }
}

impl MailConfig {
    pub fn enabled(&self) -> bool {
        self.smtp.is_some()
    }
}

/// Why a delivery failed.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    #[error("connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("timed out")]
    Timeout,
    #[error("the server answered {0}")]
    Refused(String),
}

struct Conn {
    r: BufReader<tokio::net::tcp::OwnedReadHalf>,
    w: tokio::net::tcp::OwnedWriteHalf,
    timeout: Duration,
}

impl Conn {
    /// Reads one reply (all its lines) and checks that its code starts with `want`.
    async fn reply(&mut self, want: char) -> Result<(), SmtpError> {
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(self.timeout, self.r.read_line(&mut line))
                .await
                .map_err(|_| SmtpError::Timeout)??;
            if n == 0 {
                return Err(SmtpError::Refused("nothing (connection closed)".into()));
            }
            if line.len() < 4 || !line.is_char_boundary(3) {
                return Err(SmtpError::Refused(line.trim_end().into()));
            }
            if line.as_bytes()[3] == b'-' {
                continue;
            }
            return if line.starts_with(want) {
                Ok(())
            } else {
                Err(SmtpError::Refused(
                    line.trim_end().chars().take(200).collect(),
                ))
            };
        }
    }

    async fn send(&mut self, text: &str) -> Result<(), SmtpError> {
        tokio::time::timeout(self.timeout, self.w.write_all(text.as_bytes()))
            .await
            .map_err(|_| SmtpError::Timeout)??;
        Ok(())
    }

    async fn command(&mut self, text: &str, want: char) -> Result<(), SmtpError> {
        self.send(&format!("{text}\r\n")).await?;
        self.reply(want).await
    }
}

/// Sends one mail through the relay at `addr`.
pub async fn send(cfg: &MailConfig, addr: &str, mail: &Mail, id: &str) -> Result<(), SmtpError> {
    let timeout = Duration::from_secs(cfg.timeout_secs.max(1));
    let stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| SmtpError::Timeout)??;
    let (r, w) = stream.into_split();
    let mut c = Conn {
        r: BufReader::new(r),
        w,
        timeout,
    };
    c.reply('2').await?;
    let helo = cfg.from.rsplit_once('@').map_or("localhost", |(_, d)| d);
    c.command(&format!("EHLO {helo}"), '2').await?;
    c.command(&format!("MAIL FROM:<{}>", cfg.from), '2').await?;
    c.command(&format!("RCPT TO:<{}>", mail.to), '2').await?;
    c.command("DATA", '3').await?;
    c.send(&mail.message(&cfg.from, &mail_date_now(), id))
        .await?;
    c.command(".", '2').await?;
    // The mail is accepted; a failed QUIT changes nothing.
    let _ = c.command("QUIT", '2').await;
    Ok(())
}

/// One round: queue the mails of new to-dos, then deliver the due ones. Returns (queued,
/// delivered, failed). Errors of the store are returned; a failed delivery is recorded.
pub async fn round(
    store: &Store,
    cfg: &MailConfig,
) -> skillbridge_store::Result<(usize, usize, usize)> {
    let Some(addr) = cfg.smtp.as_deref() else {
        return Ok((0, 0, 0));
    };
    let todos = store.todos();
    let queued = todos.notify_sweep(&cfg.public_url).await?;
    let (mut sent, mut failed) = (0, 0);
    loop {
        let due = todos.due_mail(50).await?;
        if due.is_empty() {
            break;
        }
        let mut progressed = false;
        for m in &due {
            match deliver(cfg, addr, m).await {
                Ok(()) => {
                    todos.mail_sent(m.id).await?;
                    sent += 1;
                    progressed = true;
                }
                Err(e) => {
                    tracing::warn!(mail = m.id, error = %e, "mail not delivered; will retry");
                    todos
                        .mail_failed(m, &e.to_string(), cfg.retry_base_secs)
                        .await?;
                    failed += 1;
                }
            }
        }
        if !progressed {
            break;
        }
    }
    Ok((queued, sent, failed))
}

async fn deliver(cfg: &MailConfig, addr: &str, m: &OutboxMail) -> Result<(), SmtpError> {
    let mail = Mail {
        to: m.recipient.clone(),
        subject: m.subject.clone(),
        body: m.body.clone(),
    };
    send(cfg, addr, &mail, &format!("{}.{}", m.id, m.attempts)).await
}

/// The background task of `serve`: a round every `interval_secs` until the process ends.
pub fn spawn(store: Store, cfg: MailConfig) -> Option<tokio::task::JoinHandle<()>> {
    if !cfg.enabled() {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(cfg.interval_secs.max(1)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match round(&store, &cfg).await {
                Ok((q, s, f)) if q + s + f > 0 => {
                    tracing::info!(queued = q, sent = s, failed = f, "notification mail")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "notifier round failed"),
            }
        }
    }))
}
