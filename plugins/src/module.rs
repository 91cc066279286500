//! Compiled plugins: their content-hash identity and the checks made at upload.

use std::fmt;
use std::sync::Arc;

use hearth_plugin_sdk::abi::{names, Hook};
use sha2::{Digest, Sha256};
use wasmtime::{ExternType, InstancePre, Module, ModuleExport, ValType};

use crate::engine::CallState;
use crate::error::PluginError;
use crate::limits::Limits;

/// A plugin's identity: the SHA-256 of its module bytes.
///
/// The same bytes uploaded by two hubs are one compiled module; a new version
/// is a new id (so a plugin disabled for failing is not re-enabled by accident).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PluginId([u8; 32]);

impl PluginId {
    /// The id of these module bytes.
    pub fn of(bytes: &[u8]) -> Self {
        PluginId(Sha256::digest(bytes).into())
    }

    /// The raw hash.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Parses the 64-character lowercase hex form made by `Display`.
    pub fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0_u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(PluginId(out))
    }

    /// The first 12 hex characters, enough to tell plugins apart in logs.
    pub fn short(&self) -> String {
        let mut hex = self.to_string();
        hex.truncate(12);
        hex
    }
}

impl fmt::Display for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PluginId({self})")
    }
}

/// A validated, compiled plugin, ready to be instantiated for each call. Cheap to clone.
#[derive(Clone)]
pub struct PluginModule(pub(crate) Arc<ModuleInner>);

pub(crate) struct ModuleInner {
    pub(crate) id: PluginId,
    pub(crate) short_id: String,
    pub(crate) pre: InstancePre<CallState>,
    pub(crate) exports: Exports,
    pub(crate) size: usize,
}

impl PluginModule {
    /// The plugin's content hash.
    pub fn id(&self) -> &PluginId {
        &self.0.id
    }

    /// Whether the plugin exports `hook`; a missing hook means the hub's policy applies.
    pub fn implements(&self, hook: Hook) -> bool {
        self.0.exports.hook(hook).is_some()
    }

    /// The hooks the plugin exports.
    pub fn hooks(&self) -> Vec<Hook> {
        Hook::ALL
            .into_iter()
            .filter(|h| self.implements(*h))
            .collect()
    }

    /// Whether the plugin exports `hearth_config_schema`.
    pub fn has_config_schema(&self) -> bool {
        self.0.exports.config_schema.is_some()
    }

    /// Size of the uploaded module in bytes.
    pub fn size(&self) -> usize {
        self.0.size
    }
}

impl fmt::Debug for PluginModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PluginModule")
            .field("id", &self.0.id)
            .field("hooks", &self.hooks())
            .finish()
    }
}

/// Pre-resolved exports, so a call never looks a name up.
pub(crate) struct Exports {
    pub(crate) memory: ModuleExport,
    pub(crate) alloc: ModuleExport,
    hooks: [Option<ModuleExport>; 4],
    pub(crate) config_schema: Option<ModuleExport>,
}

impl Exports {
    pub(crate) fn hook(&self, hook: Hook) -> Option<&ModuleExport> {
        let index = Hook::ALL.iter().position(|h| *h == hook)?;
        self.hooks.get(index)?.as_ref()
    }
}

fn is(ty: &ValType, expected: &ValType) -> bool {
    matches!(
        (ty, expected),
        (ValType::I32, ValType::I32) | (ValType::I64, ValType::I64)
    )
}

/// Whether export `name` is a function with exactly these parameter and result types.
fn func_has_signature(
    module: &Module,
    name: &str,
    params: &[ValType],
    results: &[ValType],
) -> bool {
    let Some(ExternType::Func(ty)) = module.get_export(name) else {
        return false;
    };
    ty.params().len() == params.len()
        && ty.results().len() == results.len()
        && ty.params().zip(params).all(|(a, b)| is(&a, b))
        && ty.results().zip(results).all(|(a, b)| is(&a, b))
}

fn export_index(module: &Module, name: &str) -> Result<ModuleExport, PluginError> {
    module
        .get_export_index(name)
        .ok_or_else(|| PluginError::invalid(format!("missing export `{name}`")))
}

/// Checks a compiled module against ABI v1 and the host's limits, and resolves its exports.
pub(crate) fn inspect(module: &Module, limits: &Limits) -> Result<Exports, PluginError> {
    use ValType::{I32, I64};

    for import in module.imports() {
        let offered = import.module() == names::IMPORT_MODULE
            && import.name() == names::LOG
            && matches!(import.ty(), ExternType::Func(ref f)
                if f.params().len() == 3 && f.params().all(|p| is(&p, &I32)) && f.results().len() == 0);
        if !offered {
            return Err(PluginError::invalid(format!(
                "imports `{}.{}`, which the host does not offer (ABI v1 offers only `hearth.log(i32, i32, i32)`)",
                import.module(),
                import.name()
            )));
        }
    }

    if module.get_export(names::ABI_MARKER).is_none() {
        return Err(PluginError::invalid(format!(
            "missing export `{}`: not a Hearth ABI v1 plugin",
            names::ABI_MARKER
        )));
    }

    match module.get_export(names::MEMORY) {
        Some(ExternType::Memory(memory)) => {
            if memory.is_64() || memory.is_shared() {
                return Err(PluginError::invalid(
                    "memory must be a 32-bit unshared memory",
                ));
            }
            let initial = memory.minimum().saturating_mul(64 << 10);
            if initial > limits.max_memory_bytes as u64 {
                return Err(PluginError::invalid(format!(
                    "initial memory of {initial} bytes exceeds the limit of {} bytes",
                    limits.max_memory_bytes
                )));
            }
        }
        _ => {
            return Err(PluginError::invalid(format!(
                "missing memory export `{}`",
                names::MEMORY
            )))
        }
    }

    if !func_has_signature(module, names::ALLOC, &[I32], &[I32]) {
        return Err(PluginError::invalid(format!(
            "missing export `{}: (i32) -> i32`",
            names::ALLOC
        )));
    }

    let mut hooks: [Option<ModuleExport>; 4] = [None, None, None, None];
    for (slot, hook) in hooks.iter_mut().zip(Hook::ALL) {
        let name = hook.export_name();
        if module.get_export(name).is_none() {
            continue;
        }
        if !func_has_signature(module, name, &[I32, I32], &[I64]) {
            return Err(PluginError::invalid(format!(
                "export `{name}` must be `(i32, i32) -> i64`"
            )));
        }
        *slot = Some(export_index(module, name)?);
    }
    if hooks.iter().all(Option::is_none) {
        return Err(PluginError::invalid(
            "exports no hook (credit_cost, period_grant, booking_allowed or theme)",
        ));
    }

    let config_schema = match module.get_export(names::CONFIG_SCHEMA) {
        None => None,
        Some(_) if func_has_signature(module, names::CONFIG_SCHEMA, &[], &[I64]) => {
            Some(export_index(module, names::CONFIG_SCHEMA)?)
        }
        Some(_) => {
            return Err(PluginError::invalid(format!(
                "export `{}` must be `() -> i64`",
                names::CONFIG_SCHEMA
            )))
        }
    };

    Ok(Exports {
        memory: export_index(module, names::MEMORY)?,
        alloc: export_index(module, names::ALLOC)?,
        hooks,
        config_schema,
    })
}

#[cfg(test)]
mod tests {
    use super::PluginId;

    #[test]
    fn plugin_ids_print_and_parse_as_hex() {
        let id = PluginId::of(b"(module)");
        let hex = id.to_string();
        assert_eq!(hex.len(), 64);
        assert_eq!(PluginId::from_hex(&hex), Some(id));
        assert_eq!(id.short(), hex[..12]);
        assert_eq!(PluginId::from_hex("zz"), None);
    }
}
