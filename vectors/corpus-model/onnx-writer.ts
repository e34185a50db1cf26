/**
 * The trained model as an ONNX graph, built with onnx-proto (the ONNX protobuf schema):
 *   last_hidden_state = Gather(embeddings, input_ids) * Unsqueeze(Cast(attention_mask), -1)
 * i.e. each token's row of the embedding table, padding zeroed. The feature-extraction pipeline
 * then does the masked mean pooling and normalisation, exactly as for a pretrained encoder.
 */
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

function valueInfo(name: string, elemType: number, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })),
        }),
      }),
    }),
  });
}

/** Serialized ModelProto for a [vocab × dims] float32 embedding table (row-major). */
export function embeddingTableOnnx(table: Float32Array, vocabSize: number, dims: number): Uint8Array {
  if (table.length !== vocabSize * dims) throw new Error("embedding table size does not match vocab × dims");
  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const embeddings = onnx.TensorProto.create({
    name: "embeddings",
    dataType: F,
    dims: [vocabSize, dims],
    // raw_data is little-endian, as Float32Array is on every platform Node runs on.
    rawData: new Uint8Array(table.buffer, table.byteOffset, table.byteLength),
  });
  const axes = onnx.TensorProto.create({ name: "unsqueeze_axes", dataType: I64, dims: [1], int64Data: [-1] });
  const graph = onnx.GraphProto.create({
    name: "corpus_embedder",
    initializer: [embeddings, axes],
    input: [valueInfo("input_ids", I64, ["batch", "sequence"]), valueInfo("attention_mask", I64, ["batch", "sequence"])],
    output: [valueInfo("last_hidden_state", F, ["batch", "sequence", dims])],
    node: [
      onnx.NodeProto.create({ opType: "Gather", input: ["embeddings", "input_ids"], output: ["token_vectors"], name: "lookup", attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }),
      onnx.NodeProto.create({ opType: "Cast", input: ["attention_mask"], output: ["mask_float"], name: "mask_cast", attribute: [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: F }] }),
      onnx.NodeProto.create({ opType: "Unsqueeze", input: ["mask_float", "unsqueeze_axes"], output: ["mask_3d"], name: "mask_unsqueeze" }),
      onnx.NodeProto.create({ opType: "Mul", input: ["token_vectors", "mask_3d"], output: ["last_hidden_state"], name: "mask_padding" }),
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "policy-qa corpus embedder",
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
