//! A lenient parser reading structured [`Requirements`] out of job-post text.
//!
//! It understands the convention of list items such as `<li>5+ years of professional
//! experience</li>`, `<li>Bachelor's degree in Computer Science or equivalent</li>` and
//! `<li>Skills: Rust, PostgreSQL, Kubernetes</li>`, and the usual variants ("3 years",
//! "at least 4 years", "3-5 years", "`MSc`", "master's", "`PhD`"). It never fails and never
//! panics: text it cannot read simply yields fewer requirements, which the extractors then
//! mark as missing rather than met.
//!
//! Skills named in prose rather than a `Skills:` line are found by
//! [`skills_in_text`] against the company's known skill vocabulary.

use std::collections::BTreeSet;

use crate::domain::{EducationLevel, Requirements};
use crate::text::{for_each_token, normalise, strip_html, truncate};

/// The most skills read from one post; more is keyword stuffing.
pub const MAX_SKILLS: usize = 64;

/// Years above this are not an experience requirement ("founded 120 years ago").
const MAX_PLAUSIBLE_YEARS: f64 = 40.0;

/// Parses requirements from job-post text (HTML allowed).
///
/// - **Years:** the largest "N years" / "N+ years" / "at least N years" / "N-M years" (lower
///   bound) figure found on a line mentioning experience, else on any line.
/// - **Education:** the lowest degree named on a line that mentions a degree (the lowest
///   acceptable one in "Bachelor's or Master's").
/// - **Skills:** items of lines starting with "Skills:", "Required skills:", "Tech stack:",
///   "Technologies:" or "Requirements:", split on commas, semicolons, slashes and "and";
///   duplicates (after normalisation) removed, at most [`MAX_SKILLS`].
///
/// ```
/// use rocketmat_core::domain::EducationLevel;
/// use rocketmat_core::requirements::parse_requirements;
///
/// let r = parse_requirements(
///     "<ul><li>5+ years of professional experience</li>\
///      <li>Bachelor's degree in Computer Science or equivalent</li>\
///      <li>Skills: Rust, PostgreSQL, Kubernetes</li></ul>",
/// );
/// assert_eq!(r.min_years, Some(5.0));
/// assert_eq!(r.min_education, Some(EducationLevel::Bachelor));
/// assert_eq!(r.skills, ["Rust", "PostgreSQL", "Kubernetes"]);
/// ```
pub fn parse_requirements(text: &str) -> Requirements {
    let plain = strip_html(truncate(text, crate::text::MAX_TEXT_BYTES));
    let mut years_experience: Option<f64> = None;
    let mut years_any: Option<f64> = None;
    let mut education: Option<EducationLevel> = None;
    let mut skills: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();

    for line in plain.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let lower = line.to_lowercase();
        if let Some(y) = years_in(&lower) {
            let slot = if lower.contains("experience") || lower.contains("professional") {
                &mut years_experience
            } else {
                &mut years_any
            };
            *slot = Some(slot.map_or(y, |old: f64| old.max(y)));
        }
        if let Some(level) = degree_in(&lower) {
            education = Some(education.map_or(level, |old| old.min(level)));
        }
        if let Some(list) = skills_list(line) {
            for item in split_skills(list) {
                if skills.len() >= MAX_SKILLS {
                    break;
                }
                let norm = normalise(item);
                if !norm.is_empty() && seen.insert(norm) {
                    skills.push(item.to_owned());
                }
            }
        }
    }
    Requirements { skills, min_years: years_experience.or(years_any), min_education: education }
}

/// The years figure on a lower-cased line, if any.
fn years_in(line: &str) -> Option<f64> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<f64> = None;
    for (i, w) in words.iter().enumerate() {
        let is_year_word = |s: &str| {
            let s = s.trim_end_matches(['.', ':', ';']);
            matches!(s, "year" | "years" | "yr" | "yrs" | "year's" | "years'")
        };
        // "5+ years", "3-5 years", "4 years" or glued forms such as "5+years".
        let (number_word, next_is_year) = if is_year_word(w) && i > 0 {
            (words[i - 1], true)
        } else if let Some(pos) = w.find("year").or_else(|| w.find("yr")) {
            (&w[..pos], pos > 0)
        } else {
            continue;
        };
        if !next_is_year {
            continue;
        }
        if let Some(n) = leading_number(number_word)
            && n > 0.0
            && n <= MAX_PLAUSIBLE_YEARS
        {
            best = Some(best.map_or(n, |b: f64| b.max(n)));
        }
    }
    best
}

/// The first number of "5+", "3-5", "10+", "2.5", "three".
fn leading_number(word: &str) -> Option<f64> {
    let word = word.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let digits: String = word.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    if !digits.is_empty() {
        return digits.trim_end_matches('.').parse().ok();
    }
    let spelled = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    let bare = word.trim_end_matches(|c: char| !c.is_ascii_alphabetic());
    let rank = spelled.iter().position(|s| *s == bare)?;
    u32::try_from(rank + 1).ok().map(f64::from)
}

/// The lowest degree named on a lower-cased line, if it mentions one.
fn degree_in(line: &str) -> Option<EducationLevel> {
    let mut tokens: Vec<String> = Vec::new();
    // Keep dots out of tokens, so "ph.d" reads as "ph d" and "m.sc" as "m sc".
    for_each_token(&line.replace(['\'', '\u{2019}'], ""), |t| tokens.push(t.to_owned()));
    let has = |w: &str| tokens.iter().any(|t| t == w);
    let pair = |a: &str, b: &str| tokens.windows(2).any(|p| p[0] == a && p[1] == b);
    let degree_context = has("degree") || has("in") || has("diploma") || has("graduate");
    let mut found: Vec<EducationLevel> = Vec::new();
    if has("phd") || pair("ph", "d") || has("doctorate") || has("doctoral") || has("dphil") {
        found.push(EducationLevel::Doctorate);
    }
    if has("master")
        || has("masters")
        || has("msc")
        || has("mba")
        || has("meng")
        || pair("m", "sc")
        || (degree_context && (has("ms") || has("ma") || pair("m", "s")))
    {
        found.push(EducationLevel::Master);
    }
    if has("bachelor")
        || has("bachelors")
        || has("bsc")
        || has("beng")
        || has("undergraduate")
        || pair("b", "sc")
        || (degree_context && (has("bs") || has("ba") || pair("b", "s") || pair("b", "a")))
    {
        found.push(EducationLevel::Bachelor);
    }
    if (has("associate") || has("associates")) && (has("degree") || has("of")) {
        found.push(EducationLevel::Associate);
    }
    if pair("high", "school") || has("ged") || pair("secondary", "school") {
        found.push(EducationLevel::HighSchool);
    }
    found.into_iter().min()
}

/// The list part of a "Skills: a, b, c" line.
fn skills_list(line: &str) -> Option<&str> {
    let (head, tail) = line.split_once(':')?;
    let head = head.trim().to_lowercase();
    let known = [
        "skills",
        "required skills",
        "key skills",
        "tech stack",
        "technologies",
        "technology",
        "tools",
        "stack",
        "must have",
        "requirements",
    ];
    known.contains(&head.as_str()).then_some(tail)
}

fn split_skills(list: &str) -> impl Iterator<Item = &str> {
    list.split([',', ';', '/', '|'])
        .flat_map(|part| part.split(" and "))
        .map(|s| s.trim().trim_end_matches('.').trim())
        .filter(|s| !s.is_empty() && s.len() <= 64)
}

/// The skills of `vocabulary` (normalised forms, as produced by
/// [`crate::text::normalise`]) that occur in `text` as whole token sequences, in vocabulary
/// order. This is how a skill mentioned in prose ("you will build services in Rust") is found
/// when the post has no `Skills:` line.
///
/// ```
/// use rocketmat_core::requirements::skills_in_text;
/// let vocab = vec!["rust".to_owned(), "node js".to_owned(), "go".to_owned()];
/// assert_eq!(skills_in_text("<p>Services in Rust and Node.js</p>", &vocab), ["rust", "node js"]);
/// ```
pub fn skills_in_text(text: &str, vocabulary: &[String]) -> Vec<String> {
    let plain = strip_html(text);
    let mut joined = String::from(" ");
    for_each_token(&plain, |t| {
        joined.push_str(t);
        joined.push(' ');
    });
    vocabulary
        .iter()
        .filter(|skill| !skill.is_empty() && joined.contains(&format!(" {skill} ")))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_variants() {
        for (text, years) in [
            ("5+ years of professional experience", Some(5.0)),
            ("At least 4 years of experience with Go", Some(4.0)),
            ("3 years", Some(3.0)),
            ("3-5 years building distributed systems", Some(3.0)),
            ("Minimum of three years' experience", Some(3.0)),
            ("2 yrs experience", Some(2.0)),
            ("10+years experience", Some(10.0)),
            ("Founded 150 years ago", None),
            ("No experience needed", None),
        ] {
            assert_eq!(parse_requirements(text).min_years, years, "{text}");
        }
    }

    #[test]
    fn experience_line_preferred_over_other_years() {
        let r = parse_requirements(
            "<li>We are 12 years old</li><li>2+ years of professional experience</li>",
        );
        assert_eq!(r.min_years, Some(2.0));
    }

    #[test]
    fn education_variants() {
        use EducationLevel::*;
        for (text, level) in [
            ("Bachelor's degree in Computer Science or equivalent", Some(Bachelor)),
            ("BSc in Physics", Some(Bachelor)),
            ("BS in Computer Science", Some(Bachelor)),
            ("MSc or PhD in Statistics", Some(Master)),
            ("master\u{2019}s degree", Some(Master)),
            ("Ph.D. in Machine Learning", Some(Doctorate)),
            ("PhD required", Some(Doctorate)),
            ("Associate degree", Some(Associate)),
            ("High school diploma", Some(HighSchool)),
            ("Bachelor's or Master's degree", Some(Bachelor)),
            ("MS Office skills", None),
            ("Great team", None),
        ] {
            assert_eq!(parse_requirements(text).min_education, level, "{text}");
        }
    }

    #[test]
    fn skills_line_variants() {
        let r = parse_requirements("<li>Tech stack: Rust; Postgres / K8s and AWS.</li>");
        assert_eq!(r.skills, ["Rust", "Postgres", "K8s", "AWS"]);
        let r = parse_requirements("Skills: Rust, rust, RUST");
        assert_eq!(r.skills, ["Rust"]);
        assert!(parse_requirements("Skills:").skills.is_empty());
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        for s in
            ["", ":", "years", "+ years", "-years", "yr", "<li>", "é years", "9999999999 years"]
        {
            let _ = parse_requirements(s);
        }
        let long = "Skills: ".to_owned() + &"x, ".repeat(10_000);
        assert_eq!(parse_requirements(&long).skills.len(), 1);
    }
}
