# The two commands of the README, and the steps they share.
#   make run   install what is missing, build, register the kernel, open Jupyter on examples/
#   make test  install what is missing, build, run every test through CTest

BUILD   ?= build
PYTHON  := /usr/bin/python3
JOBS    ?= $(shell nproc)

.PHONY: all setup build test run kernelspec bench sanitize clean

all: build

setup:
	@sh scripts/setup.sh

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: setup $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

kernelspec: build
	@$(BUILD)/kernel/kiln-kernel install --user

run: kernelspec
	$(PYTHON) -m notebook --notebook-dir=examples

bench: build
	$(PYTHON) bench/run.py --build $(BUILD)

sanitize: setup
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DKILN_SANITIZE=ON
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ctest --output-on-failure

clean:
	rm -rf $(BUILD) $(BUILD)-asan
