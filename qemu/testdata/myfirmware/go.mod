module example.com/myfirmware

go 1.26.0

require (
	github.com/hotrestart/tamago-hr v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	aead.dev/minisign v0.3.0 // indirect
	github.com/google/btree v1.1.2 // indirect
	github.com/usbarmory/imx-usbnet v0.0.0-20250123113617-d39929cd7171 // indirect
	github.com/usbarmory/tamago v1.26.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/term v0.47.0 // indirect
	golang.org/x/time v0.5.0 // indirect
	gvisor.dev/gvisor v0.0.0-20240909175600-91fb8ad18db5 // indirect
)

// This template is built inside the tamago-hr checkout (make build-all, the
// QEMU suite) against the working tree, hence the replace. A module of your
// own needs none: it requires a version of tamago-hr and builds with
// `go get -tool github.com/hotrestart/tamago-hr/tools/hrbuild` and
// `go tool hrbuild image` (README "Write your own service").
replace github.com/hotrestart/tamago-hr => ../../..
