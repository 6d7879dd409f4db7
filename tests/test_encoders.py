"""Question encoder backends: an export is found beside the model, refused with the fix
when missing, stale or wrong, and (with the real model) gives the fp32 model's vectors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from needs import missing

from assistant.core.config import Settings, get_settings
from assistant.embed.encoders import (
    CHECK_QUESTIONS,
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    MIN_COSINE,
    EncoderNotReadyError,
    OpenVinoQueryEncoder,
    cosines,
    encoder_dir,
    load_query_encoder,
)
from assistant.embed.provision import model_fingerprint


def fake_model(tmp_path: Path) -> Settings:
    """Settings pointing at a folder that passes for a model (no weights needed)."""
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "config.json").write_text('{"hidden_size": 8}', encoding="utf-8")
    return Settings(model=str(folder), model_cache_dir=tmp_path / "cache")


def test_export_lives_beside_the_model_not_inside(tmp_path: Path) -> None:
    settings = fake_model(tmp_path)
    folder = Path(settings.model)
    where = encoder_dir(settings, folder, "openvino-int8")
    assert where == tmp_path / "cache" / "my-model.openvino-int8"
    assert folder not in where.parents  # the model's fingerprint stays untouched


def test_missing_export_names_the_fix(tmp_path: Path) -> None:
    settings = fake_model(tmp_path)
    with pytest.raises(EncoderNotReadyError) as err:
        load_query_encoder(settings, "openvino-int8")
    message = str(err.value)
    assert "assistant models prepare" in message and "ASSISTANT_MODEL_BACKEND=torch" in message


def test_export_of_another_model_is_stale(tmp_path: Path) -> None:
    settings = fake_model(tmp_path)
    target = encoder_dir(settings, Path(settings.model), "openvino")
    target.mkdir(parents=True)
    for name in ("encoder.xml", "encoder.bin"):
        (target / name).write_text("x", encoding="utf-8")
    manifest = {"format": MANIFEST_FORMAT, "backend": "openvino", "model_fingerprint": "0" * 64}
    (target / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(EncoderNotReadyError, match="exported from another model"):
        load_query_encoder(settings, "openvino")
    manifest["model_fingerprint"] = model_fingerprint(Path(settings.model))
    manifest["backend"] = "openvino-int8"
    (target / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(EncoderNotReadyError, match="another export format or backend"):
        load_query_encoder(settings, "openvino")


def test_cosines_are_row_wise_and_scale_free() -> None:
    a = np.array([[1.0, 0.0], [0.0, 2.0]], dtype=np.float32)
    b = np.array([[3.0, 0.0], [1.0, 1.0]], dtype=np.float32)
    assert np.allclose(cosines(a, b), [1.0, np.sqrt(0.5)])


# --- the real model and a prepared export ----------------------------------------------------


def prepared(backend: str) -> Path:
    """The prepared export of ``backend`` for the configured model, or skip/fail."""
    from assistant.embed.encoders import _stale_reason
    from assistant.embed.provision import ModelNotAvailableError, resolve_model_path

    settings = get_settings()
    try:
        model_folder = resolve_model_path(settings)
    except ModelNotAvailableError as err:
        missing(f"embedding model not available ({err}); run `assistant models fetch`")
    folder = encoder_dir(settings, model_folder, backend)
    reason = _stale_reason(folder, backend, model_fingerprint(model_folder))
    if reason is not None:
        missing(f"{backend} export not prepared ({reason}); run `assistant models prepare`")
    return folder


@pytest.mark.model
def test_configured_encoder_gives_the_fp32_vectors(real_embedder) -> None:  # type: ignore[no-untyped-def]
    """Whatever ASSISTANT_MODEL_BACKEND is, question vectors match fp32 torch's."""
    from assistant.embed.sentence_transformer import SentenceTransformerEmbedder

    settings = get_settings()
    if settings.model_backend != "torch":
        prepared(settings.model_backend)
    reference = SentenceTransformerEmbedder(
        settings.model_copy(update={"model_backend": "torch", "model_dtype": "fp32"})
    )
    questions = ["Sản lượng lúa năm 2023 của tỉnh là bao nhiêu?", "giá trị xuất khẩu 2020"]
    got = real_embedder.embed_queries(questions)
    assert got.shape == (2, real_embedder.dim) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert cosines(got, reference.embed_queries(questions)).min() >= MIN_COSINE
    batch = real_embedder.embed_queries([*questions, CHECK_QUESTIONS[3]])
    assert cosines(batch[:2], got).min() > 0.999  # padding in a batch changes nothing


@pytest.mark.model
def test_damaged_export_is_refused_on_load(tmp_path: Path) -> None:
    """Check vectors that the export does not reproduce: refused with the fix."""
    source = prepared("openvino-int8")
    copy = tmp_path / source.name
    shutil.copytree(source, copy)
    manifest = json.loads((copy / MANIFEST_NAME).read_text(encoding="utf-8"))
    encoder = OpenVinoQueryEncoder(copy, None)
    assert encoder.check() >= MIN_COSINE
    vectors = np.asarray(manifest["check_vectors"], dtype=np.float32)
    encoder.manifest["check_vectors"] = np.roll(vectors, 1, axis=0).tolist()  # wrong rows
    with pytest.raises(EncoderNotReadyError, match="agree with the fp32 model at cosine"):
        encoder.check()
