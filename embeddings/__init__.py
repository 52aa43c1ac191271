"""Texts to unit vectors (MiniLM from its PyPI package, run by onnxruntime or torch) and the FAISS
paragraph index that searches them."""

from embeddings.ann import AnnSettings, Kind
from embeddings.backends import EncoderBackend, load_encoder
from embeddings.encoder import Encoder, MiniLMEncoder, Vectors, configure_threads
from embeddings.index import ParagraphIndex, SearchHits

__all__ = [
    "AnnSettings",
    "Encoder",
    "EncoderBackend",
    "Kind",
    "MiniLMEncoder",
    "ParagraphIndex",
    "SearchHits",
    "Vectors",
    "configure_threads",
    "load_encoder",
]
