//! Declarative macros shared by the model modules.

/// Declares an open string enum: known variants, a final `Unknown(String)` catch-all keeping the
/// raw value, a `tracing::warn!` when the catch-all is hit, and serde as the raw string both ways.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $raw:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this crate does not know yet, kept verbatim so it survives a round trip.
            Unknown(String),
        }

        impl $name {
            /// Every known variant, in declaration order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant,)+];

            /// The raw string Harvest uses for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $raw,)+
                    Self::Unknown(raw) => raw,
                }
            }

            /// Maps a raw Harvest string to a variant, `Unknown` when it is not a known one.
            ///
            /// Unlike deserialization this does not log: it is meant for input the caller chose.
            pub fn from_raw(raw: &str) -> Self {
                match raw {
                    $($raw => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }

            /// Whether this is the `Unknown` catch-all.
            pub const fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct RawVisitor;

                impl ::serde::de::Visitor<'_> for RawVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }

                    fn visit_str<E: ::serde::de::Error>(self, raw: &str) -> Result<$name, E> {
                        let value = $name::from_raw(raw);
                        if value.is_unknown() {
                            $crate::models::support::warn_unknown(stringify!($name), raw);
                        }
                        Ok(value)
                    }
                }

                deserializer.deserialize_str(RawVisitor)
            }
        }
    };
}

/// Implements [`crate::models::Resource`] for a record type with `id` and `updated_at` fields.
macro_rules! resource {
    ($($ty:ty => $path:literal,)+) => {$(
        impl $crate::models::Resource for $ty {
            const PATH: &'static str = $path;

            fn id(&self) -> Option<u64> {
                Some(self.id.get())
            }

            fn updated_at(&self) -> Option<::chrono::DateTime<::chrono::Utc>> {
                self.updated_at
            }
        }
    )+};
}
