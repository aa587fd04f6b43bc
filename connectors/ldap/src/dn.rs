//! Distinguished names, compared the way a directory compares them (closely enough for
//! deciding whether an entry lies under a base DN).

/// A DN in a form fit for comparison: lowercase, no spaces around `,`, `=` and `+`.
///
/// This is not RFC 4514 normalization (it does not know each attribute's matching rule, nor
/// hex-escaped values), but DNs of one directory written by one server compare right.
pub(crate) fn normalize(dn: &str) -> String {
    let mut out = String::with_capacity(dn.len());
    let mut escaped = false;
    for ch in dn.trim().chars() {
        if escaped {
            out.extend(ch.to_lowercase());
            escaped = false;
            continue;
        }
        match ch {
            '\\' => {
                out.push(ch);
                escaped = true;
            }
            ',' | '=' | '+' => {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push(ch);
            }
            ' ' if out.ends_with([',', '=', '+']) || out.is_empty() => {}
            _ => out.extend(ch.to_lowercase()),
        }
    }
    out
}

/// Whether `dn` is `base` or lies under it.
pub(crate) fn is_under(dn: &str, base: &str) -> bool {
    let (dn, base) = (normalize(dn), normalize(base));
    if base.is_empty() {
        return true;
    }
    dn == base
        || dn
            .strip_suffix(&base)
            .is_some_and(|head| head.ends_with(',') && !head.ends_with("\\,"))
}

/// Whether two DNs name the same entry.
pub(crate) fn same(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

/// The value of the first RDN (`alice` for `uid=alice,ou=people,…`).
pub(crate) fn first_value(dn: &str) -> &str {
    let rdn = dn.split(',').next().unwrap_or(dn);
    rdn.split_once('=').map_or(rdn, |(_, value)| value).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_ignores_case_and_spaces() {
        assert_eq!(
            normalize(" UID=Alice , OU=People,dc=Example, dc=com"),
            "uid=alice,ou=people,dc=example,dc=com"
        );
        assert!(same("cn=A,dc=x", "CN=a, DC=X"));
    }

    #[test]
    fn under_means_a_whole_rdn_suffix() {
        assert!(is_under("uid=a,ou=people,dc=x", "ou=People,dc=x"));
        assert!(is_under("ou=people,dc=x", "ou=people,dc=x"));
        assert!(!is_under("uid=a,ou=otherpeople,dc=x", "ou=people,dc=x"));
        assert!(!is_under("dc=x", "ou=people,dc=x"));
        assert!(is_under("dc=x", ""));
    }

    #[test]
    fn first_value_is_the_rdn_value() {
        assert_eq!(first_value("cn=engineers,ou=groups,dc=x"), "engineers");
        assert_eq!(first_value("dc=x"), "x");
    }
}
