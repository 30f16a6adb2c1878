"""Reproducible Piper: the same sentence always sounds the same.

Piper's VITS graph draws its duration and prior noise from two unseeded `RandomNormalLike` nodes, so every run of
a sentence differs (timing moves by tens of milliseconds and the mouth with it). We rewrite the graph in memory:
each `RandomNormalLike(x)` becomes `Slice(noise_k, 0, Shape(x))` over a new input, and `SeededSession.run` feeds
those inputs from a generator seeded by the sentence's phoneme ids and scales. The noise is still standard normal,
so the voice keeps its natural variation between sentences; it is just no longer different on every run.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

DP_CHANNELS = 2  # the duration predictor's noise is [1, 2, ids]
PRIOR_CHANNELS = 192  # the prior's is [1, inter_channels, frames]; 192 in every Piper voice size (a wider buffer is
# harmless: the slice takes what the graph needs)
FRAMES_PER_ID = 20  # buffer bound for the prior noise; measured below 5 frames per id at length_scale 1


def seed_graph(model: Any) -> list[tuple[str, int]]:
    """Replace every RandomNormalLike node of `model` (an onnx ModelProto) by a slice of a new float input.
    Returns (input name, channel count) per replaced node, in graph order."""
    from onnx import TensorProto, helper

    graph = model.graph
    inputs: list[tuple[str, int]] = []
    nodes = []
    for node in graph.node:
        if node.op_type != "RandomNormalLike":
            nodes.append(node)
            continue
        k = len(inputs)
        name = f"talkframe_noise_{k}"
        ch = DP_CHANNELS if node.input[0].startswith("/dp/") else PRIOR_CHANNELS
        inputs.append((name, ch))
        graph.input.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, ch, f"noise_{k}_len"]))
        shape = f"{name}_shape"
        zeros = f"{name}_starts"
        nodes.append(helper.make_node("Shape", [node.input[0]], [shape], name=f"{name}/Shape"))
        nodes.append(helper.make_node("Constant", [], [zeros], name=f"{name}/Starts",
                                      value=helper.make_tensor(zeros, TensorProto.INT64, [3], [0, 0, 0])))
        nodes.append(helper.make_node("Slice", [name, zeros, shape], [node.output[0]], name=f"{name}/Slice"))
    del graph.node[:]
    graph.node.extend(nodes)
    return inputs


class SeededSession:
    """Wraps an onnxruntime session of a graph rewritten by `seed_graph`; feeds its noise inputs per run.

    Each run also shrinks onnxruntime's CPU memory arena when it ends: the arena otherwise keeps the peak of the
    longest sentence so far (measured: +420 MB held after a 25 s script, for no speed gain)."""

    def __init__(self, session: Any, noise_inputs: list[tuple[str, int]], run_options: Any = None) -> None:
        self._session = session
        self._noise = noise_inputs
        self._run_options = run_options

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    def run(self, output_names: Any, feed: dict[str, np.ndarray], *args: Any, **kwargs: Any) -> Any:
        ids = np.asarray(feed["input"], np.int64)
        scales = np.asarray(feed.get("scales", np.zeros(3)), np.float32)
        seed = zlib.crc32(ids.tobytes() + scales.tobytes() + np.asarray(feed.get("sid", -1)).tobytes())
        length_scale = float(scales[1]) if scales.size > 1 else 1.0
        n_ids = ids.shape[-1]
        frames = int(FRAMES_PER_ID * max(1.0, length_scale) * n_ids) + 256
        while True:
            rng = np.random.default_rng(seed)
            full = dict(feed)
            for name, ch in self._noise:
                length = n_ids if ch == DP_CHANNELS else frames
                full[name] = rng.standard_normal((1, ch, length), dtype=np.float32)
            if not args and "run_options" not in kwargs and self._run_options is not None:
                kwargs["run_options"] = self._run_options
            try:
                return self._session.run(output_names, full, *args, **kwargs)
            except Exception:  # a buffer shorter than the frames Piper asked for: the slice came out short
                if frames > 64 * max(1.0, length_scale) * n_ids + 4096:
                    raise
                frames *= 4


def load_session(model_path: str) -> SeededSession:
    """Piper's graph with the alignment output (as `PiperVoice.load(include_alignments=True)` adds) and seeded noise."""
    import onnx
    import onnxruntime
    from piper.patch_voice_with_alignment import add_alignment_output

    model = onnx.load(model_path)
    add_alignment_output(model)
    noise = seed_graph(model)
    options = onnxruntime.SessionOptions()
    # no busy-waiting between operators: a render draws and encodes frames while the next sentence is synthesised,
    # and spinning threads would take the cores those need
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(model.SerializeToString(), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    run_options = onnxruntime.RunOptions()
    run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    return SeededSession(session, noise, run_options)
