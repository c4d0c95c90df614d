//! Text handling for untrusted job-post and profile text: HTML stripping, size limits,
//! scrubbing of personal data, normalisation and tokenisation.
//!
//! All text is treated as hostile: it is cut to [`MAX_TEXT_BYTES`] before any work, parsing
//! never panics and never recurses, and nothing here ever logs text. Tokens are lower-case
//! runs of alphanumeric characters plus `+` and `#` (so "C++" and "C#" survive), which is the
//! one normalisation both the skill matcher and the TF-IDF extractor use.

/// Texts longer than this many bytes are cut (at a character boundary) before processing, so
/// a hostile résumé or post cannot make extraction slow or memory-hungry.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// The longest token kept; longer runs are keyword stuffing or encoded blobs, not words.
pub const MAX_TOKEN_CHARS: usize = 40;

/// `text` cut to at most `max` bytes at a character boundary.
///
/// ```
/// assert_eq!(rocketmat_core::text::truncate("héllo", 2), "h");
/// ```
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Removes HTML tags and decodes the common entities; block-level tags (`li`, `p`, `br`,
/// `div`, headings, table rows) become line breaks so list items stay separate lines.
/// Script and style contents are dropped. Lenient: malformed markup never fails.
///
/// ```
/// let text = rocketmat_core::text::strip_html("<ul><li>5+ years</li><li>Rust &amp; Go</li></ul>");
/// assert_eq!(text.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>(), ["5+ years", "Rust & Go"]);
/// ```
pub fn strip_html(html: &str) -> String {
    let html = truncate(html, MAX_TEXT_BYTES);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            push_decoded(&mut out, &rest[..lt]);
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            // An unclosed '<' is text, not a tag.
            if skip_until.is_none() {
                push_decoded(&mut out, &rest[lt..]);
            }
            rest = "";
            break;
        };
        let tag = after[..gt].trim().to_ascii_lowercase();
        rest = &after[gt + 1..];
        let name: String =
            tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        if let Some(end) = skip_until {
            if tag.starts_with('/') && name == end {
                skip_until = None;
            }
            continue;
        }
        match name.as_str() {
            "script" if !tag.starts_with('/') => skip_until = Some("script"),
            "style" if !tag.starts_with('/') => skip_until = Some("style"),
            "li" | "p" | "br" | "div" | "ul" | "ol" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5"
            | "h6" => out.push('\n'),
            _ => out.push(' '),
        }
    }
    if skip_until.is_none() {
        push_decoded(&mut out, rest);
    }
    out
}

/// Appends `text` with HTML entities decoded (named common ones and numeric ones).
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|&i| i <= 10);
        let decoded = semi.and_then(|i| decode_entity(&after[..i]));
        if let (Some(i), Some(c)) = (semi, decoded) {
            out.push(c);
            rest = &after[i + 1..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
}

fn decode_entity(entity: &str) -> Option<char> {
    if let Some(num) = entity.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match entity {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" | "ldquo" | "rdquo" => '"',
        "apos" | "rsquo" | "lsquo" => '\'',
        "nbsp" => ' ',
        "ndash" | "mdash" => '-',
        _ => return None,
    })
}

/// Whether `c` belongs inside a token.
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '+' || c == '#'
}

/// Calls `f` with every normalised token of `text`, lower-cased, in order, without
/// allocating: tokens are assembled in a stack buffer. Tokens longer than
/// [`MAX_TOKEN_CHARS`] are skipped.
///
/// ```
/// let mut tokens = Vec::new();
/// rocketmat_core::text::for_each_token("Senior C++ / Node.js Engineer", |t| tokens.push(t.to_owned()));
/// assert_eq!(tokens, ["senior", "c++", "node", "js", "engineer"]);
/// ```
pub fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let text = truncate(text, MAX_TEXT_BYTES);
    // Room for MAX_TOKEN_CHARS characters even when lower-casing expands each one to three
    // four-byte characters; longer tokens are dropped anyway.
    let mut buf = [0u8; 12 * MAX_TOKEN_CHARS + 16];
    let mut len = 0usize;
    let mut chars = 0usize;
    let mut alnum = false;
    let mut flush = |len: &mut usize, chars: &mut usize, alnum: &mut bool, buf: &[u8]| {
        // A token of only '+'/'#' is punctuation, not a word.
        if *len > 0
            && *alnum
            && *chars <= MAX_TOKEN_CHARS
            && let Ok(token) = std::str::from_utf8(&buf[..*len])
        {
            f(token);
        }
        *len = 0;
        *chars = 0;
        *alnum = false;
    };
    for c in text.chars() {
        if is_token_char(c) {
            chars += 1;
            alnum |= c.is_alphanumeric();
            if chars > MAX_TOKEN_CHARS {
                continue;
            }
            if c.is_ascii() {
                buf[len] = c.to_ascii_lowercase() as u8;
                len += 1;
            } else {
                for l in c.to_lowercase() {
                    len += l.encode_utf8(&mut buf[len..]).len();
                }
            }
        } else if chars > 0 {
            flush(&mut len, &mut chars, &mut alnum, &buf);
        }
    }
    if chars > 0 {
        flush(&mut len, &mut chars, &mut alnum, &buf);
    }
}

/// The normalised tokens of `text`, joined by single spaces: the canonical form of a skill or
/// title ("Node.JS" and "node js" both give "node js").
///
/// ```
/// assert_eq!(rocketmat_core::text::normalise("  PostgreSQL "), "postgresql");
/// ```
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalise_into(text, &mut out);
    out
}

/// Appends the normalised form of `text` (see [`normalise`]) to `out`, allocation-free when
/// `out` has room: the hot path of per-row matching.
pub fn normalise_into(text: &str, out: &mut String) {
    let start = out.len();
    for_each_token(text, |t| {
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(t);
    });
    if let Some(canonical) = canonical_skill(&out[start..]) {
        out.truncate(start);
        out.push_str(canonical);
    }
}

/// Maps common alternative spellings of a skill onto one canonical form, so "Postgres" on a
/// tag matches "`PostgreSQL`" in a post.
fn canonical_skill(normalised: &str) -> Option<&'static str> {
    Some(match normalised {
        "postgres" | "postgre sql" => "postgresql",
        "k8s" => "kubernetes",
        "golang" => "go",
        "js" => "javascript",
        "ts" => "typescript",
        "node" | "nodejs" => "node js",
        "react js" | "reactjs" => "react",
        "ml" => "machine learning",
        "amazon web services" => "aws",
        "gcp" => "google cloud",
        _ => return None,
    })
}

/// Removes personal data from free text before it can reach a vocabulary: e-mail addresses,
/// URLs and web addresses, social handles (`@name`), phone numbers, and name-like tokens,
/// i.e. capitalised words after a cue such as "Contact", "Recruiter:", "Dr." or "Regards,".
/// Names without a cue cannot be told from capitalised skills ("Rust") in text alone; the
/// TF-IDF extractor also keeps them out by admitting only terms that occur in the company's
/// own job posts (see [`crate::features::TfIdfCosine`]), and its vocabulary is inspectable.
///
/// ```
/// let s = rocketmat_core::text::scrub_pii("Mail jo@example.com or call +1 (555) 123-4567, see https://x.io/me");
/// assert!(!s.contains('@') && !s.contains("555") && !s.contains("x.io"));
/// ```
pub fn scrub_pii(text: &str) -> String {
    let text = truncate(text, MAX_TEXT_BYTES);
    let chunks: Vec<&str> = text.split_whitespace().collect();
    let mut keep = vec![true; chunks.len()];
    for (i, chunk) in chunks.iter().enumerate() {
        if looks_like_email_url_or_handle(chunk) {
            keep[i] = false;
        }
    }
    // Names cannot be recognised in general, but they follow cue words ("Contact Jane Doe",
    // "Recruiter: Sam Lee", "Dr. Ada Smith"): drop up to three capitalised chunks after a cue.
    for i in 0..chunks.len() {
        if is_name_cue(chunks[i]) {
            for j in (i + 1)..chunks.len().min(i + 4) {
                if !chunks[j].chars().next().is_some_and(char::is_uppercase) {
                    break;
                }
                keep[j] = false;
                // Punctuation ends the name: "Sam Lee." is followed by another sentence.
                if chunks[j].ends_with(['.', ',', ';', ':', ')']) {
                    break;
                }
            }
        }
    }
    // Phone numbers often span several chunks ("+1 (555) 123-4567"): find maximal runs of
    // phone-like chunks and drop runs holding at least seven digits.
    let mut i = 0;
    while i < chunks.len() {
        if is_phone_chunk(chunks[i]) {
            let start = i;
            let mut digits = 0;
            while i < chunks.len() && is_phone_chunk(chunks[i]) {
                digits += chunks[i].chars().filter(char::is_ascii_digit).count();
                i += 1;
            }
            if digits >= 7 {
                keep[start..i].iter_mut().for_each(|k| *k = false);
            }
        } else {
            i += 1;
        }
    }
    let mut out = String::with_capacity(text.len());
    for (chunk, _) in chunks.iter().zip(&keep).filter(|(_, k)| **k) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(chunk);
    }
    out
}

/// Words after which a capitalised word is most likely a person's name.
fn is_name_cue(chunk: &str) -> bool {
    let word = chunk.trim_end_matches([':', ',', '.']).to_ascii_lowercase();
    matches!(
        word.as_str(),
        "contact"
            | "name"
            | "recruiter"
            | "manager"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "from"
            | "to"
            | "attn"
            | "regards"
            | "sincerely"
            | "thanks"
            | "cheers"
            | "by"
    )
}

fn looks_like_email_url_or_handle(chunk: &str) -> bool {
    let lower = chunk.to_ascii_lowercase();
    if chunk.contains('@') || lower.contains("://") || lower.starts_with("www.") {
        return true;
    }
    // Bare domains with a path or a common top-level domain ("linkedin.com/in/x", "x.io").
    let trimmed = lower.trim_end_matches(['.', ',', ';', ')']);
    let has_path = trimmed.contains('/') && trimmed.contains('.');
    let tld = [".com", ".io", ".org", ".net", ".dev", ".me", ".co", ".ai", ".app"]
        .iter()
        .any(|t| trimmed.ends_with(t) || trimmed.contains(&format!("{t}/")));
    (has_path || tld) && trimmed.chars().next().is_some_and(char::is_alphanumeric)
}

/// "2019-2023": a span of years, which looks like digits but is not contact data.
fn is_year_range(chunk: &str) -> bool {
    let mut parts = chunk.split(['-', '\u{2013}']);
    let is_year = |p: Option<&str>| {
        p.is_some_and(|p| p.len() == 4 && (p.starts_with("19") || p.starts_with("20")))
    };
    is_year(parts.next()) && is_year(parts.next()) && parts.next().is_none()
}

fn is_phone_chunk(chunk: &str) -> bool {
    let trimmed = chunk.trim_end_matches([',', ';', '.']);
    !trimmed.is_empty()
        && !is_year_range(trimmed)
        && trimmed.chars().any(|c| c.is_ascii_digit())
        && trimmed.chars().all(|c| c.is_ascii_digit() || "+-().".contains(c))
}

/// Common English words that carry no matching signal.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "for",
    "from", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or",
    "our", "so", "such", "than", "that", "the", "their", "them", "there", "these", "they", "this",
    "to", "us", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would",
    "you", "your",
];

/// Whether `token` (normalised) is a stop word.
pub fn is_stop_word(token: &str) -> bool {
    STOP_WORDS.binary_search(&token).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the"));
        assert!(!is_stop_word("rust"));
    }

    #[test]
    fn html_edge_cases_do_not_panic() {
        for s in ["<", "<<>>", "&", "&#xZZ;", "&#99999999;", "<li", "a<script>x</script>b", "é<"] {
            let _ = strip_html(s);
        }
        assert_eq!(strip_html("a<script>bad()</script>b").replace(' ', ""), "ab");
        assert_eq!(strip_html("x &lt; y &#38; &#x41;"), "x < y & A");
    }

    #[test]
    fn scrub_keeps_ordinary_words() {
        let s = scrub_pii("Senior engineer, 2019-2023, Rust and C++ call 555-123-4567");
        assert!(s.contains("2019-2023"));
        assert!(s.contains("Rust and C++"));
        assert!(!s.contains("4567"));
        assert_eq!(scrub_pii("linkedin.com/in/someone @handle ok"), "ok");
        assert_eq!(
            scrub_pii("Questions? Contact Jane Doe or Recruiter: Sam Lee. Regards, Ada"),
            "Questions? Contact or Recruiter: Regards,"
        );
        assert_eq!(scrub_pii("We use Rust and Kafka"), "We use Rust and Kafka");
    }

    #[test]
    fn normalise_aliases() {
        assert_eq!(normalise("Postgres"), "postgresql");
        assert_eq!(normalise("K8s"), "kubernetes");
        assert_eq!(normalise("Node.JS"), "node js");
        assert_eq!(normalise("C#"), "c#");
    }
}
