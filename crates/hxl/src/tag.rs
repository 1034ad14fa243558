//! Hashtags (`#adm1+code`) and tag patterns (`adm1+code-pcode`).

use std::fmt;

fn is_token(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A parsed hashtag: the tag and its attributes, lower-cased, attributes in the order
/// written and without repeats.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hashtag {
    /// The tag without `#`, e.g. `adm1`.
    pub tag: String,
    /// The attributes without `+`, e.g. `["code"]`.
    pub attributes: Vec<String>,
}

impl Hashtag {
    /// Parse `#tag+attr+attr`, case-insensitively, tolerating spaces around the parts
    /// (`# org`, `#org +f`). `None` when it is not a hashtag.
    pub fn parse(s: &str) -> Option<Hashtag> {
        let s = s.trim();
        let rest = s.strip_prefix('#')?;
        let mut parts = rest.split('+');
        let tag = parts.next()?.trim().to_ascii_lowercase();
        if !is_token(&tag) {
            return None;
        }
        let mut attributes: Vec<String> = Vec::new();
        for a in parts {
            let a = a.trim().to_ascii_lowercase();
            if !is_token(&a) {
                return None;
            }
            if !attributes.contains(&a) {
                attributes.push(a);
            }
        }
        Some(Hashtag { tag, attributes })
    }

    /// Does the hashtag carry `attribute` (without its `+`)?
    pub fn has(&self, attribute: &str) -> bool {
        self.attributes.iter().any(|a| a == attribute)
    }
}

impl fmt::Display for Hashtag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.tag)?;
        for a in &self.attributes {
            write!(f, "+{a}")?;
        }
        Ok(())
    }
}

/// A pattern over hashtags: a tag, attributes that must be present (`+`), attributes
/// that must be absent (`-`), and with `!` no attributes other than the required ones.
/// The leading `#` is optional; `*` matches any tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagPattern {
    /// the tag without `#`, lower case; `*` for any
    pub tag: String,
    /// attributes that must be there
    pub include: Vec<String>,
    /// attributes that must not be there
    pub exclude: Vec<String>,
    /// `!`: no attributes but `include`
    pub exact: bool,
}

impl TagPattern {
    /// Read a pattern such as `#adm1+code-pcode`, `reached+f!` or `*`; `None` if it is not one.
    pub fn parse(s: &str) -> Option<TagPattern> {
        let mut s = s.trim();
        s = s.strip_prefix('#').unwrap_or(s);
        let exact = s.ends_with('!');
        if exact {
            s = &s[..s.len() - 1];
        }
        let end = s.find(['+', '-']).unwrap_or(s.len());
        let tag = s[..end].trim().to_ascii_lowercase();
        if tag != "*" && !is_token(&tag) {
            return None;
        }
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        let mut rest = &s[end..];
        while let Some(sign) = rest.chars().next() {
            rest = &rest[1..];
            let next = rest.find(['+', '-']).unwrap_or(rest.len());
            let a = rest[..next].trim().to_ascii_lowercase();
            if !is_token(&a) {
                return None;
            }
            if sign == '+' {
                include.push(a);
            } else {
                exclude.push(a);
            }
            rest = &rest[next..];
        }
        Some(TagPattern {
            tag,
            include,
            exclude,
            exact,
        })
    }

    /// Parse a comma-separated list of patterns.
    pub fn parse_list(s: &str) -> Option<Vec<TagPattern>> {
        s.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(TagPattern::parse)
            .collect()
    }

    /// Does `h` match the pattern?
    pub fn matches(&self, h: &Hashtag) -> bool {
        (self.tag == "*" || self.tag == h.tag)
            && self.include.iter().all(|a| h.has(a))
            && !self.exclude.iter().any(|a| h.has(a))
            && (!self.exact || h.attributes.iter().all(|a| self.include.contains(a)))
    }
}

impl fmt::Display for TagPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.tag)?;
        for a in &self.include {
            write!(f, "+{a}")?;
        }
        for a in &self.exclude {
            write!(f, "-{a}")?;
        }
        if self.exact {
            f.write_str("!")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_parse_leniently_and_print_canonically() {
        let h = Hashtag::parse(" #Reached +F + Children ").unwrap();
        assert_eq!(h.to_string(), "#reached+f+children");
        assert_eq!(Hashtag::parse("# org").unwrap().to_string(), "#org");
        assert_eq!(
            Hashtag::parse("#org+name+i_ar").unwrap().attributes,
            ["name", "i_ar"]
        );
        assert_eq!(Hashtag::parse("#x_custom").unwrap().tag, "x_custom");
        for bad in [
            "org", "#", "#1abc", "#org+", "#org++f", "#org+f g", "Sector",
        ] {
            assert!(Hashtag::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn patterns_include_exclude_and_exact() {
        let h = Hashtag::parse("#adm1+code+pcode").unwrap();
        assert!(TagPattern::parse("adm1").unwrap().matches(&h));
        assert!(TagPattern::parse("#adm1+code").unwrap().matches(&h));
        assert!(!TagPattern::parse("adm1-pcode").unwrap().matches(&h));
        assert!(!TagPattern::parse("adm1+code!").unwrap().matches(&h));
        assert!(TagPattern::parse("adm1+code+pcode!").unwrap().matches(&h));
        assert!(TagPattern::parse("*+code").unwrap().matches(&h));
        assert_eq!(TagPattern::parse_list("org, adm1+code").unwrap().len(), 2);
        assert!(TagPattern::parse("adm 1").is_none());
    }
}
