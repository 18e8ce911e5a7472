module github.com/govshare/govshare

go 1.24.0

require (
	github.com/emmansun/gmsm v0.34.1
	github.com/rickar/cal/v2 v2.1.13
	github.com/stretchr/testify v1.12.1
	golang.org/x/sys v0.35.0
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.41.0 // indirect
)
