//! Spec → [`Model`]: resolves every component schema into a [`Def`], hoists inline schemas
//! that need a name, names everything through the overlay config, and places each type in a
//! module by the operations that use it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::{ToPascalCase, ToSnakeCase};
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use crate::config::Config;
use crate::model::*;
use crate::view::View;

/// Builds the model of a normalised spec.
pub fn lower(api: &OpenAPI, config: &Config) -> Model {
    let mut l = Lowerer::new(api, config);
    l.reserve_components();
    l.precompute_inline_names();
    // Non-beta schemas first, so types shared with their beta twins take the plain name.
    let mut order = l.components.clone();
    order.sort_by_key(|(name, _)| name.starts_with("Beta"));
    for (name, schema) in &order {
        let id = l.by_schema[name];
        let view = View::of(schema);
        l.define_component(id, name, &view);
    }
    l.plan_operations(api);
    place_and_classify(&mut l.model, config);
    finish_names(&mut l.model);
    l.model
}

struct Lowerer<'a> {
    config: &'a Config,
    components: Vec<(String, ReferenceOr<Schema>)>,
    by_schema: HashMap<String, usize>,
    /// Structural key of a hoisted inline schema → its def.
    hoisted: HashMap<String, usize>,
    /// Structural key → configured name.
    inline_names: HashMap<String, String>,
    used_names: BTreeSet<String>,
    model: Model,
}

/// The structural identity of an inline schema: its JSON without documentation keys.
fn structural_key(value: &Value) -> String {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(
                o.iter()
                    .filter(|(k, _)| {
                        !matches!(
                            k.as_str(),
                            "description" | "title" | "example" | "default" | "deprecated"
                        ) && !k.starts_with("x-stainless")
                    })
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(value).to_string()
}

fn key_of_schema(s: &Schema) -> String {
    structural_key(&serde_json::to_value(s).unwrap_or(Value::Null))
}

fn key_of_boxed(s: &ReferenceOr<Box<Schema>>) -> String {
    structural_key(&serde_json::to_value(s).unwrap_or(Value::Null))
}

/// `PascalCase` that keeps digits readable (`bash_20250124` → `Bash20250124`).
pub fn pascal(s: &str) -> String {
    let p = s.to_pascal_case();
    if p.is_empty() || p.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{p}")
    } else {
        p
    }
}

impl<'a> Lowerer<'a> {
    fn new(api: &'a OpenAPI, config: &'a Config) -> Self {
        let components = api
            .components
            .as_ref()
            .map(|c| {
                c.schemas
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Lowerer {
            config,
            components,
            by_schema: HashMap::new(),
            hoisted: HashMap::new(),
            inline_names: HashMap::new(),
            used_names: BTreeSet::new(),
            model: Model::default(),
        }
    }

    /// A component schema's view (component defs are reserved first, so a component's def id
    /// is also its index in `components`).
    fn view_of_component(&self, name: &str) -> Option<View> {
        let id = *self.by_schema.get(name)?;
        self.components.get(id).map(|(_, s)| View::of(s))
    }

    /// Follows `$ref`s (and single-`allOf` wrappers) to the schema that defines a shape.
    fn resolve(&self, view: &View) -> View {
        let mut v = view.clone();
        for _ in 0..16 {
            if let Some(r) = &v.reference {
                match self.view_of_component(r) {
                    Some(next) => v = next,
                    None => break,
                }
            } else if let Some(one) = v.single_all_of() {
                v = View::of(one);
            } else {
                break;
            }
        }
        v
    }

    fn unique_name(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.used_names.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.used_names.insert(name.clone());
        name
    }

    fn reserve_components(&mut self) {
        self.model.schema_count = self.components.len();
        for (name, schema) in self.components.clone() {
            let view = View::of(&schema);
            let sdk = pascal(&self.config.type_name(&name));
            if self.used_names.contains(&sdk) {
                self.model.warnings.push(format!(
                    "type name `{sdk}` (schema `{name}`) collides; a suffix was added"
                ));
            }
            let sdk = self.unique_name(&sdk);
            let id = self.model.defs.len();
            debug_assert_eq!(
                self.components[id].0, name,
                "component defs come first, in order"
            );
            self.model.defs.push(Def {
                name: sdk,
                origin: name.clone(),
                component: true,
                doc: view.description.clone(),
                kind: Kind::Alias(Ty::Json),
                nullable: view.nullable,
                deprecated: view.deprecated,
                module: String::new(),
                role: Role::default(),
                multipart: false,
            });
            self.by_schema.insert(name, id);
        }
    }

    /// Finds the inline schemas the config names, so whichever occurrence is met first
    /// gets the configured name.
    fn precompute_inline_names(&mut self) {
        for (origin, name) in &self.config.inline_types {
            let Some((schema, rest)) = origin.split_once('.') else {
                self.model.warnings.push(format!(
                    "inline_types key `{origin}` is not `Schema.property`"
                ));
                continue;
            };
            let (prop, items) = match rest.strip_suffix("[]") {
                Some(p) => (p, true),
                None => (rest, false),
            };
            let found = self
                .view_of_component(schema)
                .and_then(|v| v.properties.get(prop).cloned())
                .and_then(|p| {
                    let v = self.inline_target(&View::of_boxed(&p));
                    let target = if items {
                        let holder = std::iter::once(v.clone())
                            .chain(v.any_of.iter().chain(v.one_of.iter()).map(View::of))
                            .find(|m| m.items.is_some())?;
                        View::of_boxed(holder.items.as_ref()?)
                    } else {
                        v
                    };
                    Some(structural_key(&view_key_value(&target)))
                });
            match found {
                Some(key) => {
                    if let Some(other) = self.inline_names.insert(key, name.clone()) {
                        self.model.warnings.push(format!("inline_types: `{origin}` is the same type as one named `{other}`; `{name}` wins"));
                    }
                }
                None => self
                    .model
                    .warnings
                    .push(format!("inline_types: `{origin}` not found in the spec")),
            }
        }
    }

    /// Unwraps the nullable single-member wrappers the normaliser leaves around inline schemas.
    fn inline_target(&self, v: &View) -> View {
        match v.single_all_of() {
            Some(ReferenceOr::Item(s)) => View::of_schema(s),
            _ => v.clone(),
        }
    }

    fn define_component(&mut self, id: usize, name: &str, view: &View) {
        let kind = self.kind_of(view, &self.model.defs[id].name.clone(), name);
        self.model.defs[id].kind = kind;
    }

    /// The kind of a named schema.
    fn kind_of(&mut self, view: &View, sdk_name: &str, origin: &str) -> Kind {
        if let Some(r) = &view.reference {
            return Kind::Alias(self.ty_of_ref(r));
        }
        if let Some(one) = view.single_all_of() {
            let inner = View::of(one);
            return self.kind_of(&inner, sdk_name, origin);
        }
        if let Some(known) = self.open_string(view) {
            return Kind::OpenString { known };
        }
        let members: Vec<View> = view
            .one_of
            .iter()
            .chain(view.any_of.iter())
            .map(View::of)
            .collect();
        if !members.is_empty() {
            return self.union_kind(view, &members, sdk_name, origin);
        }
        if view.typ.as_deref() == Some("string") && !view.enumeration.is_empty() && !view.is_const {
            return Kind::StringEnum {
                values: view
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
            };
        }
        if view.typ.as_deref() == Some("object") && !view.properties.is_empty() {
            return Kind::Struct {
                fields: self.fields(view, sdk_name, origin),
            };
        }
        Kind::Alias(self.ty_of(view, sdk_name, origin, ""))
    }

    /// `anyOf: [{type: string}, {const: ..}, ..]`: any string, some of them named.
    fn open_string(&self, view: &View) -> Option<Vec<(String, Option<String>)>> {
        if view.any_of.is_empty() {
            return None;
        }
        let members: Vec<View> = view.any_of.iter().map(View::of).collect();
        let is_free = |m: &View| {
            m.typ.as_deref() == Some("string") && m.enumeration.is_empty() && m.reference.is_none()
        };
        if !members.iter().any(is_free) {
            return None;
        }
        let mut known = Vec::new();
        for m in &members {
            if is_free(m) {
                continue;
            }
            if m.typ.as_deref() != Some("string") || m.enumeration.is_empty() {
                return None;
            }
            for v in &m.enumeration {
                known.push((v.as_str()?.to_string(), m.description.clone()));
            }
        }
        Some(known)
    }

    fn union_kind(&mut self, view: &View, members: &[View], sdk_name: &str, origin: &str) -> Kind {
        if let Some(kind) = self.tagged(view, members) {
            return kind;
        }
        let mut variants: Vec<UntaggedVariant> = Vec::new();
        for m in members {
            let ty = self.ty_of(m, sdk_name, origin, "");
            let base = variant_name(&ty, &self.model);
            let mut name = base.clone();
            let mut n = 2;
            while variants.iter().any(|v| v.name == name) {
                name = format!("{base}{n}");
                n += 1;
            }
            variants.push(UntaggedVariant { name, ty });
        }
        Kind::Untagged { variants }
    }

    /// A union whose members are all object schemas carrying a literal in one common
    /// property (the discriminator's, when the spec names one).
    fn tagged(&mut self, view: &View, members: &[View]) -> Option<Kind> {
        if members.iter().any(|m| m.reference.is_none()) {
            return None;
        }
        let resolved: Vec<View> = members.iter().map(|m| self.resolve(m)).collect();
        if resolved.iter().any(|r| r.typ.as_deref() != Some("object")) {
            return None;
        }
        let candidates: Vec<String> = match &view.discriminator {
            Some((prop, _)) => vec![prop.clone()],
            None => resolved[0].properties.keys().cloned().collect(),
        };
        'candidates: for prop in candidates {
            let mut variants = Vec::new();
            let mut default = None;
            for (i, (m, r)) in members.iter().zip(&resolved).enumerate() {
                let Some(p) = r.properties.get(&prop) else {
                    continue 'candidates;
                };
                let pv = self.inline_target(&View::of_boxed(p));
                // A literal, or a closed set of aliases (`tool_search_tool_bm25_20251119` | `tool_search_tool_bm25`).
                let values: Vec<String> = pv
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                if values.is_empty()
                    || values.len() != pv.enumeration.len()
                    || pv.typ.as_deref() != Some("string")
                {
                    continue 'candidates;
                }
                if !r.required.contains(&prop) {
                    if default.is_some() {
                        continue 'candidates;
                    }
                    default = Some(i);
                }
                let target = m.reference.clone().unwrap_or_default();
                let def = self.by_schema[&target];
                variants.push(TaggedVariant {
                    name: pascal(&values[0]),
                    values,
                    def,
                });
            }
            // Variant names must be unique even if two literals PascalCase alike.
            let mut seen = BTreeSet::new();
            for v in &mut variants {
                let base = v.name.clone();
                let mut n = 2;
                while !seen.insert(v.name.clone()) {
                    v.name = format!("{base}{n}");
                    n += 1;
                }
            }
            return Some(Kind::Tagged {
                tag: prop,
                variants,
                default,
            });
        }
        None
    }

    fn fields(&mut self, view: &View, sdk_name: &str, origin: &str) -> Vec<Field> {
        let mut out = Vec::new();
        for (wire, prop) in &view.properties {
            let pview = View::of_boxed(prop);
            let inner = self.inline_target(&pview);
            let ty = if inner.is_const && inner.enumeration.len() == 1 {
                Ty::Const(const_text(&inner.enumeration[0]))
            } else {
                self.ty_of(&pview, sdk_name, origin, wire)
            };
            let mut ident = wire.to_snake_case();
            if ident.is_empty() || ident == "extra" {
                ident = format!("{ident}_field");
            }
            let required = self
                .config
                .field_overrides
                .get(&format!("{origin}.{wire}"))
                .and_then(|o| o.required)
                .unwrap_or_else(|| view.required.contains(wire));
            out.push(Field {
                wire: wire.clone(),
                ident,
                nullable: pview.nullable || self.model.ty_nullable(&ty),
                required,
                doc: pview.description.clone().or(inner.description.clone()),
                deprecated: pview.deprecated,
                ty,
            });
        }
        out
    }

    fn ty_of_ref(&self, r: &str) -> Ty {
        match self.by_schema.get(r) {
            Some(id) => Ty::Def(*id),
            None => Ty::Json,
        }
    }

    /// The type of a property (or union member, or array item). `field` names the position
    /// for hoisted inline types: a property name, an index, or `…[]` for array items.
    fn ty_of(&mut self, view: &View, parent: &str, origin: &str, field: &str) -> Ty {
        if let Some(r) = &view.reference {
            return self.ty_of_ref(r);
        }
        if let Some(one) = view.single_all_of() {
            let inner = View::of(one);
            return self.ty_of(&inner, parent, origin, field);
        }
        if view.is_const && view.enumeration.len() == 1 {
            return Ty::Const(const_text(&view.enumeration[0]));
        }
        let members: Vec<&ReferenceOr<Schema>> =
            view.one_of.iter().chain(view.any_of.iter()).collect();
        if members.len() == 1 && self.open_string(view).is_none() {
            return self.ty_of(&View::of(members[0]), parent, origin, field);
        }
        let needs_def = !members.is_empty()
            || (view.typ.as_deref() == Some("string") && !view.enumeration.is_empty())
            || (view.typ.as_deref() == Some("object") && !view.properties.is_empty());
        if needs_def {
            return Ty::Def(self.hoist(view, parent, origin, field));
        }
        match view.typ.as_deref() {
            Some("string") => match view.format.as_deref() {
                Some("date-time") => Ty::Timestamp,
                Some("binary") => Ty::Binary,
                _ => Ty::String,
            },
            Some("integer") => Ty::Int {
                unsigned: view.minimum.is_some_and(|m| m >= 0.0),
            },
            Some("number") => Ty::Float,
            Some("boolean") => Ty::Bool,
            Some("array") => {
                let item_field = format!("{field}[]");
                match &view.items {
                    Some(items) => {
                        let iv = View::of_boxed(items);
                        Ty::Array(Box::new(self.ty_of(&iv, parent, origin, &item_field)))
                    }
                    None => Ty::Array(Box::new(Ty::Json)),
                }
            }
            Some("object") => match &view.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let sv = View::of(s);
                    Ty::Map(Box::new(self.ty_of(
                        &sv,
                        parent,
                        origin,
                        &format!("{field}{{}}"),
                    )))
                }
                _ => Ty::JsonObject,
            },
            _ => Ty::Json,
        }
    }

    /// Gives an inline schema a def of its own (shared with structurally identical ones).
    fn hoist(&mut self, view: &View, parent: &str, origin: &str, field: &str) -> usize {
        let key = structural_key(&view_key_value(view));
        if let Some(id) = self.hoisted.get(&key) {
            return *id;
        }
        let inline_origin = format!("{origin}.{field}");
        let wanted = self.inline_names.get(&key).cloned().unwrap_or_else(|| {
            let base = field.trim_end_matches("[]").trim_end_matches("{}");
            let mut name = if base.is_empty() {
                parent.to_string()
            } else {
                format!("{parent}{}", pascal(base))
            };
            if field.ends_with("[]") {
                name.push_str("Item");
            }
            name
        });
        let name = self.unique_name(&wanted);
        let id = self.model.defs.len();
        self.model.defs.push(Def {
            name: name.clone(),
            origin: inline_origin.clone(),
            component: false,
            doc: view.description.clone(),
            kind: Kind::Alias(Ty::Json),
            nullable: false,
            deprecated: view.deprecated,
            module: String::new(),
            role: Role::default(),
            multipart: false,
        });
        self.hoisted.insert(key, id);
        let kind = self.kind_of(view, &name, &inline_origin);
        self.model.defs[id].kind = kind;
        id
    }
}

/// The JSON a view was read from, for structural comparison (nullability excluded: it is a
/// property of the use site).
fn view_key_value(view: &View) -> Value {
    let mut o = serde_json::Map::new();
    o.insert("type".into(), serde_json::json!(view.typ));
    o.insert("format".into(), serde_json::json!(view.format));
    o.insert("enum".into(), Value::Array(view.enumeration.clone()));
    o.insert("const".into(), Value::Bool(view.is_const));
    let props: serde_json::Map<String, Value> = view
        .properties
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                serde_json::from_str(&key_of_boxed(v)).unwrap_or(Value::Null),
            )
        })
        .collect();
    o.insert("properties".into(), Value::Object(props));
    o.insert("required".into(), serde_json::json!(view.required));
    o.insert(
        "items".into(),
        view.items
            .as_ref()
            .map(|i| Value::String(key_of_boxed(i)))
            .unwrap_or(Value::Null),
    );
    for (k, list) in [
        ("oneOf", &view.one_of),
        ("anyOf", &view.any_of),
        ("allOf", &view.all_of),
    ] {
        o.insert(
            k.into(),
            Value::Array(
                list.iter()
                    .map(|s| {
                        Value::String(match s {
                            ReferenceOr::Reference { reference } => reference.clone(),
                            ReferenceOr::Item(s) => key_of_schema(s),
                        })
                    })
                    .collect(),
            ),
        );
    }
    o.insert(
        "discriminator".into(),
        serde_json::json!(view.discriminator.as_ref().map(|(p, _)| p)),
    );
    Value::Object(o)
}

fn const_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A name for an untagged union's variant, from its type.
fn variant_name(ty: &Ty, model: &Model) -> String {
    match ty {
        Ty::Def(id) => model.defs[*id].name.clone(),
        Ty::String => "Text".into(),
        Ty::Bool => "Bool".into(),
        Ty::Int { .. } => "Integer".into(),
        Ty::Float => "Number".into(),
        Ty::Timestamp => "Timestamp".into(),
        Ty::Binary => "File".into(),
        Ty::Json => "Json".into(),
        Ty::JsonObject => "Object".into(),
        Ty::Map(_) => "Map".into(),
        Ty::Const(lit) => pascal(lit),
        Ty::Array(inner) => match inner.as_ref() {
            Ty::Def(id) if model.defs[*id].name.contains("Block") => "Blocks".into(),
            Ty::String => "Strings".into(),
            _ => "List".into(),
        },
    }
}

impl Lowerer<'_> {
    /// Maps every operation of the spec to an SDK resource + method, and hoists the types its
    /// calls need (query-parameter structs, inline multipart bodies).
    fn plan_operations(&mut self, api: &OpenAPI) {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for (path, item) in &api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (verb, op) in item.iter() {
                let id = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{verb}_{path}"));
                seen.insert(id.clone());
                let cfg = self.config.operations.get(&id).cloned();
                let (resource, method) = match &cfg {
                    Some(c) => (c.resource().to_string(), c.method().to_string()),
                    None => {
                        let (r, m) = default_op_name(verb, path);
                        self.model.warnings.push(format!(
                            "operation `{id}` ({} {path}) is not in the config; named `{r}.{m}`",
                            verb.to_uppercase()
                        ));
                        (r, m)
                    }
                };
                let planned = self.plan_operation(
                    OpSite { id, verb, path, op },
                    resource,
                    method,
                    cfg.as_ref(),
                );
                out.push(planned);
            }
        }
        for id in self.config.operations.keys() {
            if !seen.contains(id) {
                self.model.warnings.push(format!(
                    "config names operation `{id}`, which the spec does not have"
                ));
            }
        }
        self.model.operations = out;
    }

    fn plan_operation(
        &mut self,
        site: OpSite<'_>,
        resource: String,
        method: String,
        cfg: Option<&crate::config::OperationConfig>,
    ) -> Operation {
        let OpSite { id, verb, path, op } = site;
        let is_beta = resource.split('.').next() == Some("beta");
        let last = resource.rsplit('.').next().unwrap_or(&resource).to_string();
        let base_name = format!(
            "{}{}{}",
            if is_beta { "Beta" } else { "" },
            pascal(&singular(&last)),
            pascal(&method)
        );
        let mut path_params = Vec::new();
        let mut query_fields = Vec::new();
        let mut takes_betas = false;
        for p in &op.parameters {
            let ReferenceOr::Item(p) = p else { continue };
            let data = p.parameter_data_ref();
            match p {
                openapiv3::Parameter::Path { .. } => path_params.push(data.name.clone()),
                openapiv3::Parameter::Query { .. } => query_fields.push(data.clone()),
                openapiv3::Parameter::Header { .. }
                    if data.name.eq_ignore_ascii_case("anthropic-beta") =>
                {
                    takes_betas = true
                }
                _ => {}
            }
        }
        // Path parameters in the order they appear in the path.
        path_params.sort_by_key(|n| path.find(&format!("{{{n}}}")).unwrap_or(usize::MAX));
        let query = if query_fields.is_empty() {
            None
        } else {
            Some(self.query_struct(&base_name, &id, &resource, &method, &query_fields))
        };
        let mut body = OpBody::None;
        if let Some(ReferenceOr::Item(rb)) = &op.request_body {
            for (media, content) in &rb.content {
                let Some(schema) = &content.schema else {
                    continue;
                };
                let view = View::of(schema);
                if media.starts_with("multipart/") {
                    let ty = match &view.reference {
                        Some(r) => self.ty_of_ref(r),
                        None => Ty::Def(self.hoist_named(
                            &view,
                            &format!("{base_name}Params"),
                            &format!("{id}.body"),
                        )),
                    };
                    if let Ty::Def(d) = ty {
                        body = OpBody::Multipart(d);
                    }
                } else {
                    body = OpBody::Json(self.ty_of(
                        &view,
                        &format!("{base_name}Body"),
                        &format!("{id}.body"),
                        "",
                    ));
                }
            }
        }
        let mut response = None;
        let mut response_kind = ResponseKind::Json;
        if let Some(ReferenceOr::Item(ok)) = op
            .responses
            .responses
            .get(&openapiv3::StatusCode::Code(200))
        {
            for (media, content) in &ok.content {
                if media.contains("octet-stream") {
                    response_kind = ResponseKind::Binary;
                } else if media.contains("jsonl") {
                    response_kind = ResponseKind::Jsonl;
                } else if let Some(schema) = &content.schema {
                    response = Some(self.ty_of(
                        &View::of(schema),
                        &format!("{base_name}Response"),
                        &format!("{id}.response"),
                        "",
                    ));
                }
            }
        }
        let stream = cfg
            .and_then(|c| c.stream.as_deref())
            .map(|n| self.ty_of_ref(n));
        let results = cfg
            .and_then(|c| c.results.as_deref())
            .map(|n| self.ty_of_ref(n));
        let mut betas = self
            .config
            .resources
            .get(&resource)
            .map(|r| r.betas.clone())
            .unwrap_or_default();
        if let Some(c) = cfg {
            betas.extend(c.betas.iter().cloned());
        }
        let doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) => Some(format!("{s}\n\n{d}")),
            (Some(s), None) => Some(s.clone()),
            (None, d) => d.clone(),
        };
        Operation {
            id,
            http_method: verb.to_uppercase(),
            path: path.to_string(),
            resource,
            method,
            configured: cfg.is_some(),
            doc,
            path_params,
            query,
            body,
            response,
            response_kind,
            stream,
            results,
            paginate: cfg.and_then(|c| c.paginate),
            betas,
            guard: cfg.is_some_and(|c| c.guard),
            takes_betas,
        }
    }

    /// The struct of an operation's query parameters.
    fn query_struct(
        &mut self,
        base_name: &str,
        id: &str,
        resource: &str,
        method: &str,
        params: &[openapiv3::ParameterData],
    ) -> usize {
        let name = self.unique_name(&format!("{base_name}Params"));
        let origin = format!("{id}.query");
        let mut fields = Vec::new();
        for data in params {
            let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
                continue;
            };
            let view = View::of(schema);
            let ty = self.ty_of(&view, &name, &origin, &data.name);
            fields.push(Field {
                wire: data.name.clone(),
                ident: data.name.to_snake_case(),
                nullable: false,
                required: data.required,
                doc: data.description.clone().or(view.description.clone()),
                deprecated: data.deprecated.unwrap_or(false),
                ty,
            });
        }
        let idx = self.model.defs.len();
        self.model.defs.push(Def {
            name,
            origin,
            component: false,
            doc: Some(format!("Query parameters of `{resource}.{method}`.")),
            kind: Kind::Struct { fields },
            nullable: false,
            deprecated: false,
            module: String::new(),
            role: Role::default(),
            multipart: false,
        });
        idx
    }

    /// Hoists an inline schema under a chosen name.
    fn hoist_named(&mut self, view: &View, name: &str, origin: &str) -> usize {
        let key = structural_key(&view_key_value(view));
        if let Some(id) = self.hoisted.get(&key) {
            return *id;
        }
        self.inline_names
            .entry(key)
            .or_insert_with(|| name.to_string());
        self.hoist(view, name, origin, "")
    }
}

/// Where an operation sits in the spec.
struct OpSite<'a> {
    id: String,
    verb: &'a str,
    path: &'a str,
    op: &'a openapiv3::Operation,
}

/// `batches` → `batch`, `versions` → `version`, `entries` → `entry`.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["ches", "shes", "sses", "xes"]
        .iter()
        .any(|s| word.ends_with(s))
    {
        word[..word.len() - 2].to_string()
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_string()
    } else {
        word.to_string()
    }
}

/// `GET /v1/foo/{id}/bar?beta=true` → (`beta.foo.bar`, `retrieve`).
fn default_op_name(verb: &str, path: &str) -> (String, String) {
    let (p, query) = path.split_once('?').unwrap_or((path, ""));
    let mut segs: Vec<String> = p
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{') && !is_version_segment(s))
        .map(|s| s.to_snake_case())
        .collect();
    if query.contains("beta=true") {
        segs.insert(0, "beta".into());
    }
    let ends_with_param = p.trim_end_matches('/').ends_with('}');
    let method = match verb {
        "get" if ends_with_param => "retrieve",
        "get" => "list",
        "post" => "create",
        "put" | "patch" => "update",
        "delete" => "delete",
        other => other,
    };
    (segs.join("."), method.to_string())
}

/// `v1`, `v2`, …: API version path segments, not resources.
fn is_version_segment(s: &str) -> bool {
    s.len() <= 3 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit())
}

/// Decides each def's module (by the operations that reach it) and role (param/response),
/// and marks multipart-only types.
fn place_and_classify(model: &mut Model, config: &Config) {
    let n = model.defs.len();
    let mut areas: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
    let mut param = vec![false; n];
    let mut response = vec![false; n];
    let ops = model.operations.clone();
    for op in &ops {
        let area = op.resource.replace('.', "/");
        let mut req_roots: Vec<usize> = op.query.into_iter().collect();
        match &op.body {
            OpBody::Json(ty) => Model::visit_ty(ty, &mut |d| req_roots.push(d)),
            OpBody::Multipart(d) => req_roots.push(*d),
            OpBody::None => {}
        }
        let mut resp_roots = Vec::new();
        for ty in op
            .response
            .iter()
            .chain(op.stream.iter())
            .chain(op.results.iter())
        {
            Model::visit_ty(ty, &mut |d| resp_roots.push(d));
        }
        for (roots, flags) in [(req_roots, &mut param), (resp_roots, &mut response)] {
            let mut stack = roots;
            let mut seen = vec![false; n];
            while let Some(id) = stack.pop() {
                if std::mem::replace(&mut seen[id], true) {
                    continue;
                }
                flags[id] = true;
                areas[id].insert(area.clone());
                stack.extend(model.children(id));
            }
        }
    }
    // Inline defs not reached (children of unreached components) follow their parent.
    for id in 0..n {
        let def = &model.defs[id];
        let module = if areas[id].is_empty() {
            let root = def.origin.split('.').next().unwrap_or("");
            match config.modules.get(root) {
                Some(m) => m.clone(),
                None if root.starts_with("Beta") => "beta/shared".into(),
                None => "shared".into(),
            }
        } else {
            common_module(&areas[id])
        };
        model.defs[id].module = module;
        model.defs[id].role = Role {
            param: param[id],
            response: response[id],
        };
    }
    // Multipart: holds a binary somewhere.
    let mut changed = true;
    while changed {
        changed = false;
        for id in 0..n {
            if model.defs[id].multipart {
                continue;
            }
            let direct = match &model.defs[id].kind {
                Kind::Struct { fields } => fields.iter().any(|f| has_binary(&f.ty)),
                Kind::Alias(t) => has_binary(t),
                Kind::Untagged { variants } => variants.iter().any(|v| has_binary(&v.ty)),
                _ => false,
            };
            if direct || model.children(id).iter().any(|c| model.defs[*c].multipart) {
                model.defs[id].multipart = true;
                changed = true;
            }
        }
    }
}

fn has_binary(ty: &Ty) -> bool {
    match ty {
        Ty::Binary => true,
        Ty::Array(i) | Ty::Map(i) => has_binary(i),
        _ => false,
    }
}

/// The deepest module shared by every area that uses a type.
fn common_module(areas: &BTreeSet<String>) -> String {
    let mut iter = areas.iter().map(|a| a.split('/').collect::<Vec<_>>());
    let mut prefix = iter.next().unwrap_or_default();
    for a in iter {
        let k = prefix.iter().zip(&a).take_while(|(x, y)| x == y).count();
        prefix.truncate(k);
    }
    match prefix.as_slice() {
        [] => "shared".into(),
        ["beta"] => "beta/shared".into(),
        _ => prefix.join("/"),
    }
}

/// Assigns marker-type names to every literal used by a `Const` type.
fn finish_names(model: &mut Model) {
    let mut lits = BTreeSet::new();
    let mut collect = |ty: &Ty| {
        if let Ty::Const(l) = ty {
            lits.insert(l.clone());
        }
    };
    for def in &model.defs {
        match &def.kind {
            Kind::Struct { fields } => fields.iter().for_each(|f| collect(&f.ty)),
            Kind::Untagged { variants } => variants.iter().for_each(|v| collect(&v.ty)),
            Kind::Alias(t) => collect(t),
            _ => {}
        }
    }
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for lit in lits {
        let mut ident = pascal(&lit);
        let count = used.entry(ident.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            ident = format!("{ident}{count}");
        }
        model.consts.insert(lit, ident);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_operation_names() {
        assert_eq!(
            default_op_name("get", "/v1/foo/{id}"),
            ("foo".into(), "retrieve".into())
        );
        assert_eq!(
            default_op_name("get", "/v1/foo/{id}/bars?beta=true"),
            ("beta.foo.bars".into(), "list".into())
        );
        assert_eq!(
            default_op_name("post", "/v1/foo-bar"),
            ("foo_bar".into(), "create".into())
        );
    }

    #[test]
    fn module_is_common_prefix() {
        let set = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(
            common_module(&set(&["messages", "messages/batches"])),
            "messages"
        );
        assert_eq!(
            common_module(&set(&["beta/messages", "beta/files"])),
            "beta/shared"
        );
        assert_eq!(common_module(&set(&["messages", "models"])), "shared");
        assert_eq!(common_module(&set(&["skills/versions"])), "skills/versions");
    }
}
