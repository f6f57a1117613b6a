# safetynet: the README's two commands are "make run" and "make test".
.PHONY: run test lint bench build

run:
	go run ./cmd/safetynet serve --demo

test: lint
	go test -count=1 -timeout 40m ./...

lint:
	go vet ./...
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi

bench:
	go test -run '^$$' -bench . -benchmem ./...

build:
	go build -o bin/safetynet ./cmd/safetynet
