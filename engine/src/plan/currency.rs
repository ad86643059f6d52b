//! Currencies as plan authors write them: ISO 4217 codes, and `FCFA` / `F CFA` / `CFA`, the
//! name everyone in Bamako uses for the West African CFA franc (XOF).
//!
//! Pure: the validator turns a refusal into a diagnostic.

/// The active ISO 4217 currency codes (list of the ISO 4217 maintenance agency, 2024), with the
/// fund and precious-metal codes that a budget line could name.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD",
    "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV",
    "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD",
    "XPF", "XPT", "XSU", "XUA", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

/// What a written currency is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Currency {
    /// A current ISO 4217 code (`FCFA` and its variants give `XOF`).
    Known(String),
    /// Three capital letters, but no current ISO 4217 code (`ZZZ`).
    Unknown(String),
    /// Not a currency code at all (`francs`, `usd`).
    Malformed,
}

/// Reads a currency as written: `XOF`, `EUR`, ..., or `FCFA`, `F CFA`, `CFA` in any case.
pub fn read(text: &str) -> Currency {
    let s = text.trim();
    let squeezed: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    if squeezed == "FCFA" || squeezed == "CFA" {
        return Currency::Known("XOF".to_string());
    }
    if s.len() != 3 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
        return Currency::Malformed;
    }
    if ISO_4217.binary_search(&s).is_ok() {
        Currency::Known(s.to_string())
    } else {
        Currency::Unknown(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_for_binary_search() {
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn fcfa_is_xof_and_unknown_codes_are_told_apart() {
        for fcfa in [
            "FCFA",
            "fcfa",
            "F CFA",
            "f cfa",
            "CFA",
            "Cfa",
            " F\u{a0}CFA ",
        ] {
            assert_eq!(read(fcfa), Currency::Known("XOF".into()), "{fcfa}");
        }
        assert_eq!(read("EUR"), Currency::Known("EUR".into()));
        assert_eq!(read("ZZZ"), Currency::Unknown("ZZZ".into()));
        assert_eq!(read("usd"), Currency::Malformed);
        assert_eq!(read("francs"), Currency::Malformed);
        assert_eq!(read(""), Currency::Malformed);
    }
}
