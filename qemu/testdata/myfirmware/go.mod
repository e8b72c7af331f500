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

// Built inside the tamago-hr checkout (qemu/testdata/myfirmware); a project
// of your own points at its checkout, or drops this line and requires a
// released version.
replace github.com/hotrestart/tamago-hr => ../../..
