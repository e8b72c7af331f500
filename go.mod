module github.com/hotrestart/tamago-hr

go 1.26.0

tool github.com/usbarmory/tamago/cmd/tamago

require (
	aead.dev/minisign v0.3.0
	github.com/stretchr/testify v1.12.1
	github.com/usbarmory/imx-usbnet v0.0.0-20250123113617-d39929cd7171
	github.com/usbarmory/tamago v1.26.0
	golang.org/x/crypto v0.58.0
	golang.org/x/term v0.47.0
	golang.org/x/tools v0.30.0
)

require (
	github.com/google/btree v1.1.2 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/mod v0.23.0 // indirect
	golang.org/x/sync v0.11.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/time v0.5.0 // indirect
	gvisor.dev/gvisor v0.0.0-20240909175600-91fb8ad18db5 // indirect
)
