//! Multipart forms with evidence files: text fields and files read with a size limit per file,
//! the CSRF token checked like any form, and the file type recognised from its bytes.

use actix_multipart::Multipart;
use futures_util::StreamExt;

use super::extract::Me;
use super::forms::{csrf_ok, holds_nul};
use super::{AppError, Session};
use crate::domain::ApplicationId;
use crate::store::evidence::NewEvidence;
use crate::AppState;

/// One file field as received. `too_big` files were not kept (their bytes were skipped).
pub struct Upload {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub too_big: bool,
}

#[derive(Default)]
pub struct MultipartData {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
    /// The bytes this form holds, counted against the server's uploads in flight until the
    /// form is dropped.
    _held: Option<Reservation>,
}

/// The bytes of uploads the server holds in memory at once, over all requests: beyond it, a
/// form being read is refused (busy) rather than the server growing without bound.
#[derive(Debug)]
pub struct UploadBudget {
    limit: usize,
    used: std::sync::atomic::AtomicUsize,
}

impl UploadBudget {
    pub fn new(limit: usize) -> std::sync::Arc<UploadBudget> {
        std::sync::Arc::new(UploadBudget {
            limit,
            used: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The bytes held now (tests).
    pub fn used(&self) -> usize {
        self.used.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Bytes taken from an [`UploadBudget`], given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    budget: std::sync::Arc<UploadBudget>,
    bytes: usize,
}

impl Reservation {
    pub fn new(budget: &std::sync::Arc<UploadBudget>) -> Reservation {
        Reservation {
            budget: budget.clone(),
            bytes: 0,
        }
    }

    /// Takes `n` more bytes, or refuses when that would pass the budget.
    pub fn grow(&mut self, n: usize) -> Result<(), AppError> {
        use std::sync::atomic::Ordering;
        let limit = self.budget.limit;
        self.budget
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(n).filter(|total| *total <= limit)
            })
            .map_err(|_| AppError::Busy)?;
        self.bytes += n;
        Ok(())
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.budget
            .used
            .fetch_sub(self.bytes, std::sync::atomic::Ordering::AcqRel);
    }
}

impl MultipartData {
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Whether the form carried the field at all.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }

    /// The text fields read as a urlencoded form would be (`None` if they do not fit `T`).
    pub fn form<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        let encoded = serde_urlencoded::to_string(&self.fields).ok()?;
        serde_urlencoded::from_str(&encoded).ok()
    }

    /// The section version the form carried (-1 when missing: never a stored version).
    pub fn version(&self) -> i32 {
        self.get("version").trim().parse().unwrap_or(-1)
    }

    /// The files of a field that were actually chosen (browsers send an empty part otherwise).
    pub fn files(&self, name: &str) -> Vec<&Upload> {
        self.files
            .iter()
            .filter(|f| {
                f.field == name && (!f.file_name.is_empty() || !f.bytes.is_empty() || f.too_big)
            })
            .collect()
    }
}

const MAX_TEXT_FIELD: usize = 64 * 1024;
/// How many files one form may carry (the upload hint says so).
pub const MAX_FILES_PER_FORM: usize = 5;

/// Asks the service whether the applicant may edit the application, and only then reads the
/// form's body: nobody else gets to upload megabytes.
pub async fn read_for_edit(
    state: &actix_web::web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    payload: Multipart,
) -> Result<MultipartData, AppError> {
    let who = me.actor;
    let allowed = crate::web::db_read(state, move |c| {
        Ok(crate::service::draft::authorize_edit(c, &who, id))
    })
    .await?;
    match allowed {
        Ok(()) => {}
        Err(crate::service::ActionError::Refused(_)) => {
            return Err(AppError::SeeOther(super::applicant::task_list_url(id)))
        }
        Err(e) => return Err(e.into()),
    }
    read(state, payload, &me.session, state.config.max_upload_bytes()).await
}

/// Reads the whole form; a file over `max_file` bytes is drained and marked, not kept. The
/// form's first part must be the session's CSRF token: without it the form is refused (403)
/// before anything else is read, so nobody uploads megabytes with a form of another site, nor
/// anonymously without first fetching a page. What it holds counts against the server's
/// uploads in flight (busy beyond it).
pub async fn read(
    state: &AppState,
    payload: Multipart,
    session: &Session,
    max_file: usize,
) -> Result<MultipartData, AppError> {
    let mut data = MultipartData {
        _held: Some(Reservation::new(&state.uploads)),
        ..MultipartData::default()
    };
    // All files of one form together: a few files at the limit, not an unbounded number.
    let max_files_total = max_file.saturating_mul(MAX_FILES_PER_FORM);
    let (mut files_total, mut text_total) = (0usize, 0usize);
    let mut first = true;
    let mut parts = payload.take(MAX_PARTS + 1).enumerate();
    while let Some((i, field)) = parts.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        if i == MAX_PARTS {
            return Err(AppError::BadRequest("too many parts".into()));
        }
        let name = field.name().unwrap_or("").to_string();
        if std::mem::take(&mut first) {
            data.fields
                .push(first_token(&mut field, name, session).await?);
            continue;
        }
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_string);
        text_total += count_label(&mut data, &name, file_name.as_deref(), text_total)?;
        let (limit, budget) = match file_name {
            Some(_) => (max_file, max_files_total - files_total),
            None => (MAX_TEXT_FIELD, MAX_TEXT_TOTAL - text_total),
        };
        let held = data._held.as_mut().ok_or(AppError::Busy)?;
        let (bytes, too_big) = read_part(&mut field, limit.min(budget), held).await?;
        match file_name {
            Some(file_name) => {
                files_total += bytes.len();
                data.files.push(Upload {
                    field: name,
                    file_name,
                    bytes,
                    too_big,
                })
            }
            None => {
                if too_big {
                    return Err(AppError::BadRequest(format!("field {name} too long")));
                }
                text_total += bytes.len();
                let value = text_value(&bytes)?;
                data.fields.push((name, value));
            }
        }
    }
    // An empty form has no token either.
    (!first).then_some(data).ok_or(AppError::Csrf)
}

/// All text fields of a form together (each at most `MAX_TEXT_FIELD`), names included.
const MAX_TEXT_TOTAL: usize = 1024 * 1024;

/// The most parts one form may have: our largest form has a few dozen fields.
pub const MAX_PARTS: usize = 500;

/// A part's name and file name are text the form holds too: counted like its values (and
/// against the uploads in flight), and refused with a NUL like them. Returns the bytes counted.
fn count_label(
    data: &mut MultipartData,
    name: &str,
    file_name: Option<&str>,
    text_total: usize,
) -> Result<usize, AppError> {
    if holds_nul(name) || file_name.is_some_and(holds_nul) {
        return Err(AppError::BadRequest("a NUL in a part's name".into()));
    }
    let label = name.len() + file_name.map_or(0, str::len);
    if text_total + label > MAX_TEXT_TOTAL {
        return Err(AppError::BadRequest("form too large".into()));
    }
    data._held.as_mut().ok_or(AppError::Busy)?.grow(label)?;
    Ok(label)
}

/// A text part's value; one holding a NUL refuses the form, as a urlencoded one does
/// ([`holds_nul`]).
fn text_value(bytes: &[u8]) -> Result<String, AppError> {
    let value = String::from_utf8_lossy(bytes).into_owned();
    match holds_nul(&value) {
        true => Err(AppError::BadRequest("a NUL in a text field".into())),
        false => Ok(value),
    }
}

/// One part's bytes, at most `limit` (beyond it drained, and marked too big), each chunk kept
/// counted against the uploads in flight.
async fn read_part(
    field: &mut actix_multipart::Field,
    limit: usize,
    held: &mut Reservation,
) -> Result<(Vec<u8>, bool), AppError> {
    let (mut bytes, mut too_big) = (Vec::new(), false);
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
        if !too_big && bytes.len() + chunk.len() > limit {
            too_big = true;
            bytes = Vec::new();
        }
        if !too_big {
            held.grow(chunk.len())?;
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((bytes, too_big))
}

/// The form's first part: the session's CSRF token, or the form is refused (403).
async fn first_token(
    field: &mut actix_multipart::Field,
    name: String,
    session: &Session,
) -> Result<(String, String), AppError> {
    let token = read_token(field).await?;
    if name != "csrf_token" || !csrf_ok(session, &token) {
        return Err(AppError::Csrf);
    }
    Ok((name, token))
}

/// A CSRF token part: a few hundred bytes at most.
async fn read_token(field: &mut actix_multipart::Field) -> Result<String, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
        if bytes.len() + chunk.len() > 1024 {
            return Err(AppError::Csrf);
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| AppError::Csrf)
}

/// The three types evidence may have, recognised from the bytes, never from the name.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match infer::get(bytes).map(|t| t.mime_type()) {
        Some("application/pdf") => Some("application/pdf"),
        Some("image/jpeg") => Some("image/jpeg"),
        Some("image/png") => Some("image/png"),
        _ => None,
    }
}

/// Turns an upload into a file to store, or says why not (shown beside the field).
pub fn evidence(upload: &Upload, max_mb: u32) -> Result<NewEvidence, String> {
    if upload.too_big {
        return Err(format!(
            "文件“{}”超过 {max_mb} MB，请压缩后重新上传",
            upload.file_name
        ));
    }
    if upload.bytes.is_empty() {
        return Err(format!("文件“{}”是空文件", upload.file_name));
    }
    let Some(content_type) = sniff(&upload.bytes) else {
        return Err(format!(
            "文件“{}”不是 PDF、JPEG 或 PNG 文件（按文件内容识别），请转换格式后上传",
            upload.file_name
        ));
    };
    let name = clean_file_name(&upload.file_name, content_type);
    Ok(NewEvidence {
        file_name: name,
        content_type,
        bytes: upload.bytes.clone(),
    })
}

/// The name a file is stored and served under: the client's base name without control,
/// zero-width or direction characters, its extensions replaced by the one of the type sniffed
/// from the bytes (`证书.pdf.exe` with PDF bytes becomes `证书_pdf.pdf`; `scan.bat`, `scan.pdf`).
pub fn clean_file_name(original: &str, content_type: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or("");
    let visible: String = base
        .chars()
        .filter(|c| !crate::domain::text::invisible(*c))
        .collect();
    let stem = match visible.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => visible.as_str(),
    };
    let stem: String = stem
        .trim()
        .trim_matches('.')
        .replace(['.', '"', ';', '<', '>', ':', '|', '?', '*'], "_")
        .chars()
        .take(80)
        .collect();
    let ext = match content_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        _ => "png",
    };
    format!("{}.{ext}", if stem.is_empty() { "file" } else { &stem })
}

/// All the files of a field, each checked; at least one when `required`.
pub fn evidence_list(
    data: &MultipartData,
    field: &str,
    max_mb: u32,
    required: bool,
) -> Result<Vec<NewEvidence>, String> {
    let uploads = data.files(field);
    if uploads.len() > MAX_FILES_PER_FORM {
        return Err(format!(
            "每次最多上传 {MAX_FILES_PER_FORM} 个文件，您选择了 {} 个",
            uploads.len()
        ));
    }
    if uploads.is_empty() {
        return if required {
            Err("请选择要上传的证明文件（PDF、JPEG 或 PNG）".into())
        } else {
            Ok(Vec::new())
        };
    }
    uploads.into_iter().map(|u| evidence(u, max_mb)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(
            sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
            Some("application/pdf")
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Some("image/jpeg"));
        assert_eq!(sniff(b"MZ\x90\0 this is an exe"), None);
        assert_eq!(sniff(b"<html>pdf</html>"), None);
        let up = Upload {
            field: "f".into(),
            file_name: "C:\\scan\\证书.pdf".into(),
            bytes: b"%PDF-1.4 x".to_vec(),
            too_big: false,
        };
        assert_eq!(evidence(&up, 10).unwrap().file_name, "证书.pdf");
        for (name, kind, clean) in [
            ("scan.bat", "application/pdf", "scan.pdf"),
            ("certificate.hta", "image/png", "certificate.png"),
            ("report.html", "image/jpeg", "report.jpg"),
            ("证书.pdf.exe", "application/pdf", "证书_pdf.pdf"),
            ("evil\u{202E}fdp.exe", "application/pdf", "evilfdp.pdf"),
            ("../../etc/passwd", "application/pdf", "passwd.pdf"),
            ("", "image/png", "file.png"),
        ] {
            assert_eq!(clean_file_name(name, kind), clean, "{name}");
        }
        let exe = Upload {
            field: "f".into(),
            file_name: "证书.pdf".into(),
            bytes: b"MZ\x90\0".to_vec(),
            too_big: false,
        };
        assert!(evidence(&exe, 10)
            .unwrap_err()
            .contains("不是 PDF、JPEG 或 PNG"));
    }
}
