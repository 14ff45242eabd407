//! The SDK's type model: what the emitter turns into Rust.
//!
//! Built from the spec by [`crate::lower`]; every component schema becomes one [`Def`], and
//! inline schemas that need a name of their own (objects, enums, unions) are hoisted into
//! further defs.

use std::collections::BTreeMap;

/// A field or variant type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A named type (index into [`Model::defs`]).
    Def(usize),
    String,
    Bool,
    /// An integer; unsigned when the spec's `minimum` is ≥ 0.
    Int {
        unsigned: bool,
    },
    Float,
    /// `format: date-time`.
    Timestamp,
    /// `format: binary` (a multipart file part).
    Binary,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    JsonObject,
    Array(Box<Ty>),
    /// An object with typed `additionalProperties`.
    Map(Box<Ty>),
    /// A literal string fixed by the spec.
    Const(String),
}

/// One struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Rust identifier (without `r#`).
    pub ident: String,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// One variant of a tagged union.
#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// The tag values on the wire (the first is the canonical one; others are aliases).
    pub values: Vec<String>,
    /// Rust variant name.
    pub name: String,
    /// The variant's struct.
    pub def: usize,
}

/// One variant of an untagged union.
#[derive(Debug, Clone)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: Ty,
}

/// What kind of Rust item a def becomes.
#[derive(Debug, Clone)]
pub enum Kind {
    Struct {
        fields: Vec<Field>,
    },
    /// `oneOf` whose members are told apart by a literal property.
    Tagged {
        tag: String,
        variants: Vec<TaggedVariant>,
        /// The variant to use when the tag is absent.
        default: Option<usize>,
    },
    /// Members told apart by shape.
    Untagged {
        variants: Vec<UntaggedVariant>,
    },
    /// A closed set of strings (with an `Other` fallback for forward compatibility).
    StringEnum {
        values: Vec<String>,
    },
    /// Any string, with known values offered as constants (`Model`, `AnthropicBeta`).
    OpenString {
        known: Vec<(String, Option<String>)>,
    },
    Alias(Ty),
}

/// Which side of the API a type is used on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Role {
    /// Reachable from a request body: gets a constructor and setters.
    pub param: bool,
    /// Reachable from a response.
    pub response: bool,
}

/// One named Rust type.
#[derive(Debug, Clone)]
pub struct Def {
    pub name: String,
    /// Component schema name, or `Parent.field` for hoisted inline schemas.
    pub origin: String,
    /// Whether this def comes from `components/schemas`.
    pub component: bool,
    pub doc: Option<String>,
    pub kind: Kind,
    /// The schema itself is nullable (only meaningful for aliases).
    pub nullable: bool,
    pub deprecated: bool,
    /// Module path under `types`, e.g. `beta/messages`.
    pub module: String,
    pub role: Role,
    /// Holds a binary file part somewhere: multipart-only, no serde.
    pub multipart: bool,
}

/// An operation as the SDK exposes it.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub http_method: String,
    /// Spec path key, possibly with a literal query (`/v1/messages?beta=true`).
    pub path: String,
    /// `beta.messages.batches`
    pub resource: String,
    pub method: String,
    /// Whether the mapping came from the config.
    pub configured: bool,
    /// Summary and description from the spec.
    pub doc: Option<String>,
    /// Path parameters, in path order (wire names).
    pub path_params: Vec<String>,
    /// Struct of the query parameters, if any.
    pub query: Option<usize>,
    pub body: OpBody,
    /// Type of a JSON 200 response.
    pub response: Option<Ty>,
    /// How the 200 response is read.
    pub response_kind: ResponseKind,
    /// SSE event type when the body asks for `stream: true`.
    pub stream: Option<Ty>,
    /// JSONL line type of a results download.
    pub results: Option<Ty>,
    pub paginate: Option<crate::config::Pagination>,
    /// Fixed `anthropic-beta` values (resource's, then the operation's).
    pub betas: Vec<String>,
    /// Apply the long-request guard (non-streaming `create` with a large `max_tokens`).
    pub guard: bool,
    /// The operation takes an `anthropic-beta` header parameter.
    pub takes_betas: bool,
}

/// An operation's request body.
#[derive(Debug, Clone, PartialEq)]
pub enum OpBody {
    None,
    Json(Ty),
    /// A multipart body described by this struct def.
    Multipart(usize),
}

/// How an operation's successful response is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    Json,
    /// `application/octet-stream` (a file download).
    Binary,
    /// `application/x-jsonl`.
    Jsonl,
}

/// The whole model.
#[derive(Debug, Default)]
pub struct Model {
    pub defs: Vec<Def>,
    /// Literal string → identifier of its marker type in `consts`.
    pub consts: BTreeMap<String, String>,
    pub operations: Vec<Operation>,
    pub warnings: Vec<String>,
    /// Number of component schemas in the spec.
    pub schema_count: usize,
}

impl Model {
    /// Calls `f` for every def a type refers to directly.
    pub fn visit_ty(ty: &Ty, f: &mut impl FnMut(usize)) {
        match ty {
            Ty::Def(id) => f(*id),
            Ty::Array(inner) | Ty::Map(inner) => Model::visit_ty(inner, f),
            _ => {}
        }
    }

    /// The defs a def refers to directly.
    pub fn children(&self, id: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut push = |d| out.push(d);
        match &self.defs[id].kind {
            Kind::Struct { fields } => fields
                .iter()
                .for_each(|f| Model::visit_ty(&f.ty, &mut push)),
            Kind::Tagged { variants, .. } => variants.iter().for_each(|v| push(v.def)),
            Kind::Untagged { variants } => variants
                .iter()
                .for_each(|v| Model::visit_ty(&v.ty, &mut push)),
            Kind::Alias(ty) => Model::visit_ty(ty, &mut push),
            Kind::StringEnum { .. } | Kind::OpenString { .. } => {}
        }
        out
    }

    /// Whether values of `ty` can be JSON `null` through a nullable alias.
    pub fn ty_nullable(&self, ty: &Ty) -> bool {
        matches!(ty, Ty::Def(id) if self.defs[*id].nullable)
    }
}
