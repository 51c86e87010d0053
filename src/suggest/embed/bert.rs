//! The BERT encoder behind the sentence embeddings (all-MiniLM-L6-v2's architecture: word,
//! position and token-type embeddings, then N post-norm transformer layers with GELU), built on
//! candle's tensors from the tensors of a safetensors file.
//!
//! Written here rather than taken from candle-transformers: the encoder is 150 lines, the crate
//! compiles some hundred other models, and the dense layers can then run either in f32 or as
//! 8-bit quantized matrix products (see `Precision`). Two changes that do not change the maths:
//! query, key and value are one fused matrix product, and the query weights carry the
//! 1/sqrt(head size) attention scale.

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Tensor};
use serde::Deserialize;
use std::collections::HashMap;

/// How the dense layers compute. The weights file may hold f32 or f16 values either way: they
/// are widened to f32 when loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// f32 matrix products: the model as published.
    F32,
    /// Weights quantized at load to 8-bit blocks (ggml's q8_0: 32 values share one f16 scale),
    /// activations quantized on the fly; attention and layer norms stay f32.
    Q8,
}

/// The parts of the Hugging Face `config.json` that the encoder needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_eps() -> f64 {
    1e-12
}
fn default_act() -> String {
    "gelu".into()
}

/// A dense layer `x·Wᵀ + b`, W stored (out, in).
struct Linear {
    weight: Weight,
    bias: Tensor,
}

enum Weight {
    F32(Tensor),
    Quantized(QMatMul),
}

impl Linear {
    fn new(weight: Tensor, bias: Tensor, precision: Precision) -> candle_core::Result<Self> {
        let weight = match precision {
            Precision::F32 => Weight::F32(weight),
            Precision::Q8 => Weight::Quantized(QMatMul::from_qtensor(QTensor::quantize(&weight, GgmlDType::Q8_0)?)?),
        };
        Ok(Linear { weight, bias })
    }

    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        self.product(x)?.broadcast_add(&self.bias)
    }

    /// `x·Wᵀ` without the bias.
    fn product(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        match &self.weight {
            Weight::F32(w) => x.matmul(&w.t()?),
            Weight::Quantized(q) => q.forward(x),
        }
    }
}

/// `gelu(x + bias)` row by row, in one pass: the intermediate layer's bias and activation.
/// GELU's erf is a rational approximation (below) that the compiler vectorises; candle's
/// `gelu_erf` calls libm's scalar `erff` per value, which took a sixth of the encoder's time.
struct BiasGelu {
    bias: Vec<f32>,
}

impl candle_core::CustomOp1 for BiasGelu {
    fn name(&self) -> &'static str {
        "bias-gelu"
    }

    fn cpu_fwd(&self, storage: &candle_core::CpuStorage, layout: &candle_core::Layout) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        use rayon::prelude::*;
        let candle_core::CpuStorage::F32(data) = storage else { candle_core::bail!("bias-gelu: expected f32 values") };
        let Some((start, end)) = layout.contiguous_offsets() else { candle_core::bail!("bias-gelu: expected a contiguous tensor") };
        let width = self.bias.len();
        let x = &data[start..end];
        if width == 0 || x.len() % width != 0 {
            candle_core::bail!("bias-gelu: {} values are not rows of {width}", x.len());
        }
        let mut out = vec![0f32; x.len()];
        // Rows in chunks of ~64k values: enough work per task to be worth a thread.
        let rows_per_task = (65_536 / width).max(1);
        out.par_chunks_mut(rows_per_task * width).zip(x.par_chunks(rows_per_task * width)).for_each(|(o, i)| {
            for (orow, irow) in o.chunks_exact_mut(width).zip(i.chunks_exact(width)) {
                for ((o, &v), &b) in orow.iter_mut().zip(irow).zip(&self.bias) {
                    *o = gelu(v + b);
                }
            }
        });
        Ok((candle_core::CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// GELU as BERT defines it: `x/2 · (1 + erf(x/√2))`.
#[inline]
pub(crate) fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf(x) within 2e-7 everywhere: Eigen's rational approximation (`generic_fast_erf_float`,
/// odd numerator of degree 13 over an even denominator of degree 8 on [-4, 4]; beyond, erf is
/// ±1 in f32). Plain multiplies and adds, so loops over it vectorise.
#[inline]
#[allow(clippy::excessive_precision)] // the coefficients as published
pub(crate) fn erf(x: f32) -> f32 {
    // Plain multiply-adds rather than `mul_add`: without the `fma` target feature that is a
    // libm call per value, which would stop the loop from vectorising.
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_258_013_06e-10_f32;
    p = p * x2 + 2.770_681_424_959_02e-8;
    p = p * x2 + -2.101_024_020_825_08e-6;
    p = p * x2 + -5.692_506_394_623_46e-5;
    p = p * x2 + -7.349_906_303_268_55e-4;
    p = p * x2 + -2.954_599_808_540_25e-3;
    p = p * x2 + -1.609_603_332_624_15e-2;
    let mut q = -1.456_607_184_649_96e-5_f32;
    q = q * x2 + -2.133_740_552_789_05e-4;
    q = q * x2 + -1.682_826_974_382_03e-3;
    q = q * x2 + -7.373_329_167_204_68e-3;
    q = q * x2 + -1.426_473_905_141_89e-2;
    x * p / q
}

struct Norm {
    weight: Tensor,
    bias: Tensor,
}

struct Layer {
    qkv: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    up: Linear,
    up_bias_gelu: BiasGelu,
    down: Linear,
    out_norm: Norm,
}

pub struct Bert {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    heads: usize,
    hidden: usize,
    eps: f32,
    max_positions: usize,
}

/// Takes named tensors out of the file's map, checking shapes, so that a wrong or damaged file
/// is an error that names the tensor rather than a failure deep in a matrix product.
struct Tensors {
    map: HashMap<String, Tensor>,
    prefix: &'static str,
}

impl Tensors {
    fn take(&mut self, name: &str, shape: &[usize]) -> std::result::Result<Tensor, String> {
        let key = format!("{}{name}", self.prefix);
        let t = self.map.remove(&key).ok_or_else(|| format!("the weights have no tensor {key}"))?;
        if t.dims() != shape {
            return Err(format!("tensor {key} has shape {:?}, expected {shape:?}", t.dims()));
        }
        if !matches!(t.dtype(), DType::F32 | DType::F16 | DType::BF16) {
            return Err(format!("tensor {key} holds {:?} values, expected floating point", t.dtype()));
        }
        t.to_dtype(DType::F32).map_err(|e| format!("tensor {key}: {e}"))
    }

    fn norm(&mut self, name: &str, size: usize) -> std::result::Result<Norm, String> {
        Ok(Norm { weight: self.take(&format!("{name}.weight"), &[size])?, bias: self.take(&format!("{name}.bias"), &[size])? })
    }
}

impl Bert {
    /// Builds the encoder from the tensors of a safetensors file (names as Hugging Face's
    /// `BertModel` saves them, with or without a `bert.` prefix). Errors are plain sentences
    /// for the caller to put in context.
    pub fn new(map: HashMap<String, Tensor>, config: &Config, precision: Precision) -> std::result::Result<Bert, String> {
        let h = config.hidden_size;
        let heads = config.num_attention_heads;
        if heads == 0 || h % heads != 0 {
            return Err(format!("config.json: hidden_size {h} is not a multiple of num_attention_heads {heads}"));
        }
        if config.hidden_act != "gelu" {
            return Err(format!("config.json: hidden_act {:?} is not supported (only \"gelu\")", config.hidden_act));
        }
        let prefix = if map.contains_key("bert.embeddings.word_embeddings.weight") { "bert." } else { "" };
        let mut t = Tensors { map, prefix };
        let word = t.take("embeddings.word_embeddings.weight", &[config.vocab_size, h])?;
        let position = t.take("embeddings.position_embeddings.weight", &[config.max_position_embeddings, h])?;
        let token_type_all = t.take_any_rows("embeddings.token_type_embeddings.weight", h)?;
        // Every input is a single sentence: token type 0 throughout.
        let token_type = token_type_all.get(0).map_err(|e| e.to_string())?;
        let embedding_norm = t.norm("embeddings.LayerNorm", h)?;
        let scale = 1.0 / ((h / heads) as f64).sqrt();
        let i = config.intermediate_size;
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for n in 0..config.num_hidden_layers {
            let p = format!("encoder.layer.{n}.");
            let q_w = (t.take(&format!("{p}attention.self.query.weight"), &[h, h])? * scale).map_err(|e| e.to_string())?;
            let q_b = (t.take(&format!("{p}attention.self.query.bias"), &[h])? * scale).map_err(|e| e.to_string())?;
            let k_w = t.take(&format!("{p}attention.self.key.weight"), &[h, h])?;
            let k_b = t.take(&format!("{p}attention.self.key.bias"), &[h])?;
            let v_w = t.take(&format!("{p}attention.self.value.weight"), &[h, h])?;
            let v_b = t.take(&format!("{p}attention.self.value.bias"), &[h])?;
            let qkv_w = Tensor::cat(&[q_w, k_w, v_w], 0).map_err(|e| e.to_string())?;
            let qkv_b = Tensor::cat(&[q_b, k_b, v_b], 0).map_err(|e| e.to_string())?;
            let linear = |t: &mut Tensors, name: &str, out: usize, inp: usize| -> std::result::Result<Linear, String> {
                let w = t.take(&format!("{p}{name}.weight"), &[out, inp])?;
                let b = t.take(&format!("{p}{name}.bias"), &[out])?;
                Linear::new(w, b, precision).map_err(|e| e.to_string())
            };
            let up = linear(&mut t, "intermediate.dense", i, h)?;
            let up_bias_gelu = BiasGelu { bias: up.bias.to_vec1::<f32>().map_err(|e| e.to_string())? };
            layers.push(Layer {
                qkv: Linear::new(qkv_w, qkv_b, precision).map_err(|e| e.to_string())?,
                attention_out: linear(&mut t, "attention.output.dense", h, h)?,
                attention_norm: t.norm(&format!("{p}attention.output.LayerNorm"), h)?,
                up,
                up_bias_gelu,
                down: linear(&mut t, "output.dense", h, i)?,
                out_norm: t.norm(&format!("{p}output.LayerNorm"), h)?,
            });
        }
        Ok(Bert {
            word,
            position,
            token_type,
            embedding_norm,
            layers,
            heads,
            hidden: h,
            eps: config.layer_norm_eps as f32,
            max_positions: config.max_position_embeddings,
        })
    }

    pub fn max_positions(&self) -> usize {
        self.max_positions
    }

    pub fn vocab_size(&self) -> usize {
        self.word.dims()[0]
    }

    /// Runs the encoder on a padded batch: `ids` holds `batch × len` token ids row by row,
    /// `lengths` the number of real tokens of each row (the rest is padding, masked out of
    /// attention). Returns the last hidden states, `batch × len × hidden` row by row.
    pub fn forward(&self, ids: &[u32], lengths: &[usize], len: usize) -> candle_core::Result<Vec<f32>> {
        let device = Device::Cpu;
        let batch = lengths.len();
        let (h, heads) = (self.hidden, self.heads);
        let ids = Tensor::from_slice(ids, batch * len, &device)?;
        let x = self.word.index_select(&ids, 0)?.reshape((batch, len, h))?;
        let x = x.broadcast_add(&self.position.narrow(0, 0, len)?)?.broadcast_add(&self.token_type)?;
        let mut x = layer_norm(&x, &self.embedding_norm, self.eps)?.reshape((batch * len, h))?;

        // 0 where a token is real, the most negative f32 where it is padding (as transformers does).
        let mut mask = vec![0f32; batch * len];
        for (b, &n) in lengths.iter().enumerate() {
            mask[b * len + n..(b + 1) * len].fill(f32::MIN);
        }
        let mask = Tensor::from_vec(mask, (batch, 1, 1, len), &device)?;

        for layer in &self.layers {
            let qkv = layer.qkv.forward(&x)?.reshape((batch, len, 3, heads, h / heads))?;
            let q = qkv.narrow(2, 0, 1)?.squeeze(2)?.transpose(1, 2)?.contiguous()?;
            let k = qkv.narrow(2, 1, 1)?.squeeze(2)?.transpose(1, 2)?.contiguous()?;
            let v = qkv.narrow(2, 2, 1)?.squeeze(2)?.transpose(1, 2)?.contiguous()?;
            let scores = q.matmul(&k.t()?)?.broadcast_add(&mask)?;
            let probs = candle_nn::ops::softmax_last_dim(&scores)?;
            let context = probs.matmul(&v)?.transpose(1, 2)?.contiguous()?.reshape((batch * len, h))?;
            let a = layer_norm(&(layer.attention_out.forward(&context)? + &x)?, &layer.attention_norm, self.eps)?;
            let up = layer.up.product(&a)?.apply_op1_no_bwd(&layer.up_bias_gelu)?;
            x = layer_norm(&(layer.down.forward(&up)? + &a)?, &layer.out_norm, self.eps)?;
        }
        x.flatten_all()?.to_vec1::<f32>()
    }
}

fn layer_norm(x: &Tensor, norm: &Norm, eps: f32) -> candle_core::Result<Tensor> {
    candle_nn::ops::layer_norm(x, &norm.weight, &norm.bias, eps)
}

impl Tensors {
    /// A (rows, size) tensor with any number of rows ≥ 1.
    fn take_any_rows(&mut self, name: &str, size: usize) -> std::result::Result<Tensor, String> {
        let key = format!("{}{name}", self.prefix);
        let rows = match self.map.get(&key).map(|t| t.dims().to_vec()) {
            Some(d) if d.len() == 2 && d[0] >= 1 => d[0],
            Some(d) => return Err(format!("tensor {key} has shape {d:?}, expected [n, {size}]")),
            None => return Err(format!("the weights have no tensor {key}")),
        };
        self.take(name, &[rows, size])
    }
}
