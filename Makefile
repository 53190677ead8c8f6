# The two commands of the README, and the steps they share.
#   make run   install what is missing, build, register the kernel, open Jupyter on examples/
#   make test  install what is missing, build, run every test through CTest

BUILD   ?= build
PYTHON  := /usr/bin/python3
JOBS    ?= $(shell nproc)

.PHONY: all setup build binaries test run kernelspec bench sanitize clean

all: build

setup:
	@sh scripts/setup.sh

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: setup $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS)

# The front ends and the LLVM backend alone, without the tests.
binaries: setup $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS) --target kiln-kernel kiln-repl

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

kernelspec: binaries
	@$(BUILD)/kernel/kiln-kernel install --user

# Jupyter refuses to start as root unless told; containers often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

run: kernelspec
	$(PYTHON) -m notebook --notebook-dir=examples $(ROOT_FLAG)

bench: binaries
	$(PYTHON) bench/run.py --build $(BUILD)
	$(PYTHON) bench/jit.py --build $(BUILD)
	$(PYTHON) bench/arrays.py --build $(BUILD)
	$(PYTHON) bench/objmode.py --build $(BUILD)
	$(PYTHON) bench/interrupt.py --build $(BUILD)

sanitize: setup
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DKILN_SANITIZE=ON
	cmake --build $(BUILD)-asan -j $(JOBS)
	# The embedded interpreter keeps its allocations until exit by design;
	# LeakSanitizer would report them all, so only memory errors fail here.
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure

clean:
	rm -rf $(BUILD) $(BUILD)-asan
