//! Work typed on a form whose session timed out is not lost. A form of a logged-in area posted
//! to a session that timed out, carrying that session's CSRF token, is kept for the same
//! account (its text fields and choices, the names of its files, at most
//! `service::sessions::MAX_KEPT_FORM_BYTES`), keyed by the form's action, and the person is sent
//! to log in ("您已超时退出") and then back to the page the form was on, with `kept=1`. There
//! every kept form of that page is put back into the same form, server-side, before the page
//! leaves the server: its fields filled, its choices ticked, the fold-out holding it open, the
//! files it carried named as not kept. Nothing is saved on the person's behalf.
//!
//! This is one mechanism for every form of every role: the pages themselves know nothing of it.
//! Which forms are kept is decided by the form (its action), never by field names: a login,
//! password change, reset or registration form is never kept.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::HttpMessage;
use actix_web::{web, HttpResponse, ResponseError};
use futures_util::StreamExt;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use super::AppError;
use crate::service::sessions::{KeptForm, MAX_KEPT_FORM_BYTES};
use crate::store::sessions::TimedOut;
use crate::AppState;

/// The areas whose forms come back after a timeout: every page of a logged-in role.
const KEPT_AREAS: [&str; 7] = [
    "/applicant",
    "/employer",
    "/office",
    "/expert",
    "/admin",
    "/supervisor",
    // A committee's pages (its set-up, pool, rounds, rubric) are the office's and the admin's.
    "/committees",
];

/// Whether a form posted to `action` is kept after a timeout. Only the logged-in areas' forms
/// are: login, password change and reset, registration and logout are outside them, and so is
/// anything that is not one of our forms.
pub fn keeps(action: &str) -> bool {
    KEPT_AREAS.iter().any(|area| {
        action
            .strip_prefix(area)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }) && !action.contains("/password")
}

/// In the session middleware, before any handler: a form of a kept area posted to a session
/// that timed out is kept (when it carries that session's token) and answered with the way to
/// log in again, "您已超时退出"; anything else is `None`, the request left as it was.
pub async fn keep_timed_out_form(
    state: &web::Data<AppState>,
    req: &mut ServiceRequest,
    timed_out: &TimedOut,
) -> Result<Option<HttpResponse>, AppError> {
    // Only the forms of a page of ours: a path no route serves keeps nothing.
    if req.method() != Method::POST
        || !keeps(req.path())
        || !req.resource_map().has_resource(req.path())
    {
        return Ok(None);
    }
    let page = referring_page(req.request());
    let expected = super::Session {
        anonymous_csrf: timed_out.csrf_token.clone(),
        ..super::Session::default()
    };
    let read = read_form(req, state.config.max_upload_bytes(), &expected).await;
    let mut next = page.clone().unwrap_or_default();
    if let (Some(form), Some(page)) = (read, page) {
        let token_ok = form
            .fields
            .iter()
            .any(|(k, v)| k == "csrf_token" && super::forms::csrf_ok(&expected, v));
        if token_ok {
            let kept = KeptForm {
                action: page_key(req.path()).to_string(),
                page: page_of(&page),
                ..form
            };
            let (account, now) = (timed_out.account, state.now());
            let done = super::db(state, move |c| {
                Ok(crate::service::sessions::keep_form(c, account, &kept, now)?)
            })
            .await?;
            next = match done {
                true => with_kept(&page_of(&page)),
                // Too large for a form of ours: the login page says that nothing was kept.
                false => format!("{}{}lost=1", page_of(&page), separator(&page_of(&page))),
            };
        }
    }
    Ok(Some(
        AppError::LoginRequired {
            next,
            expired: true,
        }
        .error_response(),
    ))
}

/// The text fields and file names of a urlencoded or multipart form, read with the same bounds
/// as a kept form; `None` when it is larger, not a form, or (multipart) does not start with its
/// CSRF token. Files are drained, never held.
async fn read_form(
    req: &mut ServiceRequest,
    max_file: usize,
    expected: &super::Session,
) -> Option<KeptForm> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let headers = req.headers().clone();
    let mut payload = req.take_payload();
    if content_type.starts_with("multipart/form-data") {
        let multipart = actix_multipart::Multipart::new(&headers, payload);
        let limit = max_file.saturating_mul(super::upload::MAX_FILES_PER_FORM) + (1 << 20);
        return read_multipart(multipart, limit, expected).await;
    }
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if length.is_some_and(|n| n > MAX_KEPT_FORM_BYTES * 4) {
        return None;
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        body.extend_from_slice(&chunk.ok()?);
        if body.len() > MAX_KEPT_FORM_BYTES * 4 {
            return None;
        }
    }
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).ok()?;
    // The form itself would be refused for it: nothing to put back.
    if fields
        .iter()
        .any(|(k, v)| super::forms::holds_nul(k) || super::forms::holds_nul(v))
    {
        return None;
    }
    Some(KeptForm {
        fields,
        ..KeptForm::default()
    })
}

/// A multipart form's text and file names: the token must come first, text is bounded like a
/// kept form, files are read through and dropped (at most `limit` bytes in all).
async fn read_multipart(
    mut multipart: actix_multipart::Multipart,
    limit: usize,
    expected: &super::Session,
) -> Option<KeptForm> {
    let mut form = KeptForm::default();
    let (mut text, mut total, mut parts) = (0usize, 0usize, 0usize);
    while let Some(field) = multipart.next().await {
        let mut field = field.ok()?;
        parts += 1;
        if parts > super::upload::MAX_PARTS {
            return None;
        }
        let name = field.name().unwrap_or("").to_string();
        if parts == 1 && name != "csrf_token" {
            return None;
        }
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_string);
        text += name.len() + file_name.as_ref().map_or(0, String::len);
        if text > MAX_KEPT_FORM_BYTES {
            return None;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.ok()?;
            total += chunk.len();
            if total > limit {
                return None;
            }
            if file_name.is_none() {
                text += chunk.len();
                if text > MAX_KEPT_FORM_BYTES {
                    return None;
                }
                bytes.extend_from_slice(&chunk);
            }
        }
        let value = String::from_utf8_lossy(&bytes).into_owned();
        // The token first, and this session's, or nothing more is read.
        if parts == 1 && (file_name.is_some() || !super::forms::csrf_ok(expected, &value)) {
            return None;
        }
        match file_name {
            Some(f) if !f.is_empty() => form.files.push(f),
            Some(_) => {}
            None => form.fields.push((name, value)),
        }
    }
    Some(form)
}

/// The page of this site a form was posted from (its `Referer`), as a path to return to.
pub fn referring_page(req: &actix_web::HttpRequest) -> Option<String> {
    let referer = req.headers().get(header::REFERER)?.to_str().ok()?;
    let (_, rest) = referer.split_once("://")?;
    let (host, path) = rest.split_at(rest.find('/')?);
    (host == req.connection_info().host())
        .then(|| super::public::login::safe_next(path).map(str::to_string))
        .flatten()
}

/// A path without its query: a form's action as kept.
pub fn page_key(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}

/// The page a kept form was on, with its query (a tab, a page of a list) but without `kept` or
/// `lost`: the key it comes back under, so it comes back on that very view.
pub fn page_of(path_and_query: &str) -> String {
    let path_and_query = path_and_query.split('#').next().unwrap_or(path_and_query);
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && *p != "kept=1" && *p != "lost=1")
        .collect();
    match rest.is_empty() {
        true => path.to_string(),
        false => format!("{path}?{}", rest.join("&")),
    }
}

fn separator(page: &str) -> char {
    if page.contains('?') {
        '&'
    } else {
        '?'
    }
}

/// The page with `kept=1`: after logging in, the person comes back to it with the forms.
fn with_kept(page: &str) -> String {
    format!("{page}{}kept=1", separator(page))
}

/// Where a login goes when forms wait for the account: the page with `kept=1`, so that it puts
/// back its own kept forms and lists the pages that hold the others (else they would wait
/// unseen until their pages were opened just so).
pub fn after_login(target: &str, kept_forms: bool) -> String {
    let asks = target
        .split(['?', '#'])
        .nth(1)
        .is_some_and(|q| q.split('&').any(|p| p == "kept=1"));
    match kept_forms && !asks {
        true => with_kept(&page_of(target)),
        false => target.to_string(),
    }
}

/// What a page asked for with `kept=1` gets back: its own kept forms (taken), and the other
/// pages that still hold some.
#[derive(Debug, Default)]
pub struct Kept {
    pub forms: Vec<KeptForm>,
    pub elsewhere: Vec<String>,
}

impl Kept {
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty() && self.elsewhere.is_empty()
    }
}

/// Whether the request asks for what was kept for its page (`kept=1`, after logging in again).
pub fn asks_for_kept(req: &ServiceRequest) -> bool {
    req.method() == Method::GET && req.query_string().split('&').any(|p| p == "kept=1")
}

/// Back from logging in again after a timeout (`kept=1`): the forms kept from this page, taken
/// (read once), to go back in, and the other pages that hold kept forms. Empty for anything
/// else.
pub async fn for_request(
    state: &web::Data<AppState>,
    session: &super::Session,
    req: &ServiceRequest,
) -> Result<Kept, AppError> {
    let Some(account) = session.account().map(|a| a.id) else {
        return Ok(Kept::default());
    };
    if !asks_for_kept(req) {
        return Ok(Kept::default());
    }
    let here = match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    };
    let (page, now) = (page_of(&here), state.now());
    super::db(state, move |c| {
        let forms = crate::service::sessions::take_kept_forms(c, account, &page, now)?;
        let elsewhere = crate::service::sessions::kept_pages(c, account, now)?;
        Ok(Kept { forms, elsewhere })
    })
    .await
}

/// Puts the kept forms back into the page a handler rendered (an HTML page with 200 OK; any
/// other response goes out as it is).
pub async fn restore_response(
    res: ServiceResponse<BoxBody>,
    kept: &Kept,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let html_page = res.status() == StatusCode::OK
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !html_page {
        return Ok(res);
    }
    let page = res.request().path().to_string();
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| AppError::Internal(format!("{e:?}")))?;
    let html = String::from_utf8_lossy(&bytes);
    let restored = restore_html(&html, &page, &kept.forms, &kept.elsewhere);
    let mut head = head.set_body(BoxBody::new(restored));
    head.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(ServiceResponse::new(req, head.map_into_boxed_body()))
}

/// Fills each kept form back into the form of `html` it came from (its action, or a button's
/// `formaction`): text and hidden fields by name and order, ticks and selections by value,
/// never a CSRF token, file or password field. Fold-outs (`details`) holding a restored form
/// open; each form names the files that were not kept; a notice at the top of the page says
/// what happened, lists whatever could not be put back because its form is not on the page
/// any more, so that nothing typed is lost, and links the other pages (`elsewhere`) whose forms
/// wait to be put back there.
pub fn restore_html(html: &str, page: &str, forms: &[KeptForm], elsewhere: &[String]) -> String {
    let found = find_forms(html, page, forms);
    fill_forms(html, forms, &found, elsewhere).unwrap_or_else(|_| html.to_string())
}

/// Where each kept form sits in the page: the form (by its order on the page) each kept form
/// goes into, and the fold-outs (by their order) that hold one.
#[derive(Debug, Default)]
struct Found {
    /// Kept form index → the page's form number.
    target: HashMap<usize, usize>,
    open: BTreeSet<usize>,
}

fn find_forms(html: &str, page: &str, forms: &[KeptForm]) -> Found {
    use lol_html::{element, end_tag, RewriteStrSettings};
    #[derive(Default)]
    struct Scan {
        forms: usize,
        details: usize,
        current: Option<usize>,
        open_details: Vec<usize>,
        /// Each form's actions and the fold-outs it sits in.
        seen: Vec<(Vec<String>, Vec<usize>)>,
        /// Each form's hidden fields that say what it acts on (not its token or version).
        hidden: Vec<Vec<(String, String)>>,
    }
    let scan = Rc::new(RefCell::new(Scan::default()));
    let (s1, s2, s3, s4) = (scan.clone(), scan.clone(), scan.clone(), scan.clone());
    let page_owned = page.to_string();
    let result = lol_html::rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("details", move |el| {
                let mut s = s1.borrow_mut();
                let n = s.details;
                s.details += 1;
                s.open_details.push(n);
                drop(s);
                let s = s1.clone();
                el.on_end_tag(end_tag!(move |_| {
                    s.borrow_mut().open_details.pop();
                    Ok(())
                }))?;
                Ok(())
            }))
            .append_element_content_handler(element!("form", move |el| {
                let method = el.get_attribute("method").unwrap_or_default();
                let mut s = s2.borrow_mut();
                let n = s.forms;
                s.forms += 1;
                let action = el
                    .get_attribute("action")
                    .map(|a| page_key(&unescape(&a)).to_string())
                    .unwrap_or_else(|| page_key(&page_owned).to_string());
                let holders = s.open_details.clone();
                s.seen.push((
                    if method.eq_ignore_ascii_case("post") {
                        vec![action]
                    } else {
                        Vec::new()
                    },
                    holders,
                ));
                s.hidden.push(Vec::new());
                s.current = Some(n);
                drop(s);
                let s = s2.clone();
                el.on_end_tag(end_tag!(move |_| {
                    s.borrow_mut().current = None;
                    Ok(())
                }))?;
                Ok(())
            }))
            .append_element_content_handler(element!(
                "button[formaction], input[formaction]",
                move |el| {
                    let mut s = s3.borrow_mut();
                    if let (Some(n), Some(action)) = (s.current, el.get_attribute("formaction")) {
                        let action = page_key(&unescape(&action)).to_string();
                        s.seen[n].0.push(action);
                    }
                    Ok(())
                }
            ))
            .append_element_content_handler(element!("input[type=hidden]", move |el| {
                let mut s = s4.borrow_mut();
                if let (Some(n), Some(name)) = (s.current, el.get_attribute("name")) {
                    let name = unescape(&name);
                    if name != "csrf_token" && name != "version" {
                        let value = unescape(&el.get_attribute("value").unwrap_or_default());
                        s.hidden[n].push((name, value));
                    }
                }
                Ok(())
            })),
    );
    let mut found = Found::default();
    if result.is_err() {
        return found;
    }
    let scan = scan.borrow();
    for (k, kept) in forms.iter().enumerate() {
        // Several forms may share an action (one per item of a list): the one whose hidden
        // fields name what the kept form named.
        let candidates: Vec<usize> = (0..scan.seen.len())
            .filter(|n| scan.seen[*n].0.contains(&kept.action))
            .collect();
        let same_item = |n: &&usize| {
            scan.hidden[**n]
                .iter()
                .all(|(name, value)| kept.fields.iter().any(|(k, v)| k == name && v == value))
        };
        let chosen = candidates
            .iter()
            .find(same_item)
            .or(candidates.first())
            .copied();
        if let Some(n) = chosen {
            found.target.insert(k, n);
            found.open.extend(scan.seen[n].1.iter().copied());
        }
    }
    found
}

/// What the filling pass knows while it walks the page.
#[derive(Default)]
struct Fill {
    forms: usize,
    details: usize,
    /// The kept form being filled in, if the current form is one.
    current: Option<usize>,
    /// How many fields of each name this form has filled so far.
    seen: HashMap<String, usize>,
    /// The select being walked: its name.
    select: Option<String>,
}

fn fill_forms(
    html: &str,
    forms: &[KeptForm],
    found: &Found,
    elsewhere: &[String],
) -> Result<String, lol_html::errors::RewritingError> {
    use lol_html::html_content::ContentType;
    use lol_html::{element, end_tag, RewriteStrSettings};
    let state = Rc::new(RefCell::new(Fill::default()));
    let by_form: HashMap<usize, usize> = found.target.iter().map(|(k, n)| (*n, *k)).collect();
    let values = |k: usize, name: &str| -> Vec<&str> {
        forms[k]
            .fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let missing: Vec<&KeptForm> = (0..forms.len())
        .filter(|k| !found.target.contains_key(k))
        .map(|k| &forms[k])
        .collect();
    let files: Vec<&String> = forms.iter().flat_map(|f| &f.files).collect();
    let notice = top_notice(found.target.len(), &missing, &files, elsewhere);
    let (s_det, s_form, s_input, s_area, s_select, s_option) = (
        state.clone(),
        state.clone(),
        state.clone(),
        state.clone(),
        state.clone(),
        state.clone(),
    );
    let mut main_done = false;
    lol_html::rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("main", move |el| {
                if !main_done {
                    main_done = true;
                    el.prepend(&notice, ContentType::Html);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("details", move |el| {
                let mut s = s_det.borrow_mut();
                if found.open.contains(&s.details) {
                    el.set_attribute("open", "")?;
                }
                s.details += 1;
                Ok(())
            }))
            .append_element_content_handler(element!("form", move |el| {
                let mut s = s_form.borrow_mut();
                let n = s.forms;
                s.forms += 1;
                s.current = by_form.get(&n).copied();
                s.seen.clear();
                if let Some(k) = s.current {
                    el.set_attribute("data-restored", "")?;
                    // Prepended in reverse: the tag first, then the files it carried.
                    if !forms[k].files.is_empty() {
                        el.prepend(&files_notice(&forms[k].files), ContentType::Html);
                    }
                    el.prepend(KEPT_TAG, ContentType::Html);
                }
                drop(s);
                let s = s_form.clone();
                el.on_end_tag(end_tag!(move |_| {
                    s.borrow_mut().current = None;
                    Ok(())
                }))?;
                Ok(())
            }))
            .append_element_content_handler(element!("input", move |el| {
                let mut s = s_input.borrow_mut();
                let (Some(k), Some(name)) = (s.current, el.get_attribute("name")) else {
                    return Ok(());
                };
                let name = unescape(&name);
                let kind = el
                    .get_attribute("type")
                    .unwrap_or_else(|| "text".into())
                    .to_ascii_lowercase();
                let kept = values(k, &name);
                match kind.as_str() {
                    "file" | "submit" | "button" | "image" | "reset" | "password" => {}
                    _ if name == "csrf_token" => {}
                    "checkbox" | "radio" => {
                        let value = el
                            .get_attribute("value")
                            .map(|v| unescape(&v))
                            .unwrap_or_else(|| "on".into());
                        if kept.contains(&value.as_str()) {
                            el.set_attribute("checked", "")?;
                        } else {
                            el.remove_attribute("checked");
                        }
                    }
                    _ => {
                        let i = s.seen.entry(name).or_insert(0);
                        if let Some(v) = kept.get(*i) {
                            el.set_attribute("value", &attribute_text(v))?;
                        }
                        *i += 1;
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("textarea", move |el| {
                let mut s = s_area.borrow_mut();
                let (Some(k), Some(name)) = (s.current, el.get_attribute("name")) else {
                    return Ok(());
                };
                let name = unescape(&name);
                let kept = values(k, &name);
                let i = s.seen.entry(name).or_insert(0);
                if let Some(v) = kept.get(*i) {
                    // A leading newline right after <textarea> is dropped by the parser.
                    let text = if v.starts_with('\n') {
                        format!("\n{v}")
                    } else {
                        v.to_string()
                    };
                    el.set_inner_content(&text, ContentType::Text);
                }
                *i += 1;
                Ok(())
            }))
            .append_element_content_handler(element!("select", move |el| {
                let mut s = s_select.borrow_mut();
                s.select = match (s.current, el.get_attribute("name")) {
                    (Some(_), Some(name)) => Some(unescape(&name)),
                    _ => None,
                };
                drop(s);
                let s = s_select.clone();
                el.on_end_tag(end_tag!(move |_| {
                    s.borrow_mut().select = None;
                    Ok(())
                }))?;
                Ok(())
            }))
            .append_element_content_handler(element!("option", move |el| {
                let s = s_option.borrow();
                let (Some(k), Some(name)) = (s.current, s.select.as_ref()) else {
                    return Ok(());
                };
                let value = el
                    .get_attribute("value")
                    .map(|v| unescape(&v))
                    .unwrap_or_default();
                if values(k, name).contains(&value.as_str()) {
                    el.set_attribute("selected", "")?;
                } else {
                    el.remove_attribute("selected");
                }
                Ok(())
            })),
    )
}

/// What marks each form put back: it was not submitted (a one-click action too, which has
/// nothing to fill in and would otherwise look done).
const KEPT_TAG: &str =
    "<span class=\"kept-tag\" role=\"status\">超时退出时未提交，请核对后重新提交</span>";

/// The notice at the top of a page after a timeout: what was put back, and whatever could not
/// be because its form is not on the page any more (the typed text itself, so nothing is lost).
fn top_notice(
    restored: usize,
    missing: &[&KeptForm],
    files: &[&String],
    elsewhere: &[String],
) -> String {
    let mut out = String::from("<div class=\"notice\" role=\"status\" id=\"kept\"><p>您因长时间未操作已退出，退出前的操作没有提交。");
    if restored > 0 {
        out.push_str(
            "您填写的内容已放回下面标有“超时退出时未提交”的表单中，<strong>尚未保存</strong>，请核对后重新提交。",
        );
    }
    out.push_str("</p>");
    if !files.is_empty() {
        let names: Vec<String> = files.iter().map(|f| escape(f)).collect();
        out.push_str(&format!(
            "<p>附件不会保留：请重新选择 {}。</p>",
            names.join("、")
        ));
    }
    // What was typed, without the fields a page fills in itself (numbers, ids and versions).
    let typed = |v: &String| {
        let v = v.trim();
        !v.is_empty() && !v.bytes().all(|b| b.is_ascii_digit() || b == b':')
    };
    let lost: Vec<&String> = missing
        .iter()
        .flat_map(|f| f.fields.iter())
        .filter(|(k, v)| k != "csrf_token" && typed(v))
        .map(|(_, v)| v)
        .collect();
    if !lost.is_empty() {
        out.push_str(
            "<p>页面已经变化，原来的表单已不在此页，以下是您当时填写的内容，请复制后按需重新填写：</p><ul class=\"kept-lost\">",
        );
        for v in lost {
            out.push_str(&format!("<li>{}</li>", escape(v)));
        }
        out.push_str("</ul>");
    }
    if !elsewhere.is_empty() {
        out.push_str(
            "<p>以下页面还有退出前填写、尚未提交的内容，打开后会放回原来的表单（保留12小时）：</p><ul class=\"kept-pages\">",
        );
        for page in elsewhere {
            out.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape(&with_kept(page)),
                escape(&page_label(page))
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>");
    out
}

/// A page's name in a list of pages with kept forms: what the person knows it by, where it is
/// one of the common ones, else its address.
fn page_label(page: &str) -> String {
    let path = page_key(page);
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let numbered = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        ["applicant"] => "我的申报".into(),
        ["applicant", "applications", n] if numbered(n) => format!("申报（{n}）的任务列表"),
        ["applicant", "applications", n, slug] if numbered(n) => {
            match crate::application::Section::parse(slug) {
                Some(section) => format!("申报（{n}）的“{}”", section.title()),
                None => format!("申报（{n}）的页面 {path}"),
            }
        }
        ["employer"] => "本单位人员的申报".into(),
        ["employer", "applications", n] if numbered(n) => format!("单位审核：申报（{n}）"),
        ["employer", "staff"] => "经办人管理".into(),
        _ => format!("页面 {page}"),
    }
}

/// The line a restored form starts with when it carried files.
fn files_notice(files: &[String]) -> String {
    let names: Vec<String> = files.iter().map(|f| escape(f)).collect();
    format!(
        "<p class=\"notice kept-files\" role=\"status\">您选择的附件（{}）未能保留，请重新选择后提交。</p>",
        names.join("、")
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A value as an attribute holds it: lol_html escapes `"` itself, `&` is ours to escape.
fn attribute_text(s: &str) -> String {
    s.replace('&', "&amp;")
}

/// An attribute's text as the page wrote it, decoded (the templates escape these five).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(action: &str, fields: &[(&str, &str)], files: &[&str]) -> KeptForm {
        KeptForm {
            action: action.into(),
            page: "/p".into(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            files: files.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn only_the_logged_in_areas_forms_are_kept() {
        for kept in [
            "/employer/applications/3/verify",
            "/admin/committees",
            "/committees/1/pool/4",
            "/committees/1/rounds/2/draw",
            "/applicant/applications/1/basic",
            "/office",
            "/expert/reviews/9",
        ] {
            assert!(keeps(kept), "{kept}");
        }
        for never in [
            "/login",
            "/logout",
            "/account/password",
            "/reset/abc",
            "/register/applicant",
            "/register/employer",
            "/employerx/1",
            "/admin/accounts/3/password",
            "/",
        ] {
            assert!(!keeps(never), "{never}");
        }
    }

    const PAGE: &str = r#"<html><body><main><h1>t</h1>
<details><summary>退回</summary>
<form method="post" action="/e/1/return"><input type="hidden" name="csrf_token" value="T">
<input type="hidden" name="version" value="4">
<textarea name="note">old</textarea>
<input name="deadline" value="2026-01-01">
<input type="radio" name="kind" value="a" checked><input type="radio" name="kind" value="b">
<input type="checkbox" name="ids" value="1"><input type="checkbox" name="ids" value="2" checked>
<select name="s"><option value="x" selected>x</option><option value="y&amp;z">y</option></select>
<input type="file" name="f"><input type="password" name="pw">
</form></details>
<details><summary>other</summary><form method="post" action="/e/1/other"><input name="q"></form></details>
<form method="post" action="/e/1/page"><input name="a"><input name="a">
<button formaction="/e/1/page/items">add</button></form>
</main></body></html>"#;

    #[test]
    fn a_kept_form_comes_back_into_its_own_form_with_its_fold_out_open() {
        let forms = [
            kept(
                "/e/1/return",
                &[
                    ("csrf_token", "OLD"),
                    ("version", "3"),
                    ("note", "新的<说明> & \"引号\""),
                    ("deadline", "2026-02-03"),
                    ("kind", "b"),
                    ("ids", "1"),
                    ("s", "y&z"),
                    ("pw", "secret"),
                ],
                &["扫描件.pdf"],
            ),
            kept("/e/1/page/items", &[("a", "first"), ("a", "second")], &[]),
        ];
        let out = restore_html(PAGE, "/p", &forms, &[]);
        let doc = scraper::Html::parse_document(&out);
        let one = |css: &str| {
            let sel = scraper::Selector::parse(css).unwrap();
            doc.select(&sel).next().map(|e| e.value().clone())
        };
        let attr = |css: &str, a: &str| one(css).and_then(|e| e.attr(a).map(str::to_string));
        assert_eq!(
            attr("input[name=csrf_token]", "value").as_deref(),
            Some("T")
        );
        assert_eq!(attr("input[name=version]", "value").as_deref(), Some("3"));
        assert_eq!(
            attr("input[name=deadline]", "value").as_deref(),
            Some("2026-02-03")
        );
        let sel = scraper::Selector::parse("textarea[name=note]").unwrap();
        let note: String = doc.select(&sel).next().unwrap().text().collect();
        assert_eq!(note, "新的<说明> & \"引号\"");
        assert!(attr("input[value=b]", "checked").is_some());
        assert!(attr("input[value=a]", "checked").is_none());
        assert!(attr("input[name=ids][value='1']", "checked").is_some());
        assert!(attr("input[name=ids][value='2']", "checked").is_none());
        assert!(attr("option[value='y&z']", "selected").is_some());
        assert!(attr("option[value=x]", "selected").is_none());
        assert_eq!(attr("input[name=pw]", "value"), None);
        // The fold-out of the restored form is open; the other one is not.
        let sel = scraper::Selector::parse("details").unwrap();
        let opened: Vec<bool> = doc
            .select(&sel)
            .map(|d| d.value().attr("open").is_some())
            .collect();
        assert_eq!(opened, [true, false]);
        assert!(out.contains("扫描件.pdf"));
        // A form posted through a button's formaction comes back into that form, in order.
        let sel = scraper::Selector::parse("input[name=a]").unwrap();
        let a: Vec<&str> = doc
            .select(&sel)
            .map(|e| e.value().attr("value").unwrap_or(""))
            .collect();
        assert_eq!(a, ["first", "second"]);
        assert!(out.contains("id=\"kept\""));
        assert!(!out.contains("kept-lost"));
    }

    #[test]
    fn what_cannot_be_put_back_is_shown_at_the_top() {
        let forms = [kept("/e/1/gone", &[("reason", "我写的理由")], &[])];
        let out = restore_html(PAGE, "/p", &forms, &[]);
        assert!(out.contains("kept-lost"));
        assert!(out.contains("我写的理由"));
        let escaped = restore_html(
            PAGE,
            "/p",
            &[kept("/e/1/gone", &[("r", "<b>x</b>")], &[])],
            &[],
        );
        assert!(escaped.contains("&lt;b&gt;x&lt;/b&gt;"));
    }
}
