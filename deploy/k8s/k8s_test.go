// Package k8s holds the Kubernetes manifests; its tests validate them.
package k8s

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

const kubeconform = "github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0"

// kubeconformRun validates files with kubeconform against the vendored
// schemas (schemas/README.md says why they are not downloaded).
func kubeconformRun(t *testing.T, files ...string) (string, error) {
	t.Helper()
	args := append([]string{"run", kubeconform, "-summary", "-skip", "Kustomization",
		"-schema-location", "schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json"}, files...)
	out, err := exec.CommandContext(t.Context(), "go", args...).CombinedOutput()
	if !bytes.Contains(out, []byte("Summary:")) {
		t.Skipf("kubeconform did not run (no Go module proxy?): %v\n%s", err, out)
	}
	return string(out), err
}

func TestKubeconform(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	out, err := kubeconformRun(t, files...)
	if err != nil || !strings.Contains(out, "Invalid: 0, Errors: 0") || strings.Contains(out, "Valid: 0,") {
		t.Fatalf("kubeconform: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(out))

	// The schemas bite: a misspelt probe and a missing image are refused.
	deploy, _ := os.ReadFile("deployment.yaml")
	bad := strings.Replace(strings.Replace(string(deploy), "readinessProbe:", "readinesProbe:", 1), "image: switchboard:latest", "", 1)
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = kubeconformRun(t, path)
	if err == nil || !strings.Contains(out, "readinesProbe") || !strings.Contains(out, "image") {
		t.Fatalf("a broken Deployment passed: %v\n%s", err, out)
	}
}

type probe struct {
	HTTPGet struct{ Path string } `yaml:"httpGet"`
}

type object struct {
	Kind     string
	Metadata struct{ Name string }
	Data     map[string]string
	Spec     struct {
		Selector       map[string]any
		ScaleTargetRef struct{ Kind, Name string } `yaml:"scaleTargetRef"`
		Template       struct {
			Metadata struct{ Labels map[string]string }
			Spec     struct {
				Containers []struct {
					EnvFrom []struct {
						ConfigMapRef *struct{ Name string } `yaml:"configMapRef"`
						SecretRef    *struct{ Name string } `yaml:"secretRef"`
					} `yaml:"envFrom"`
					LivenessProbe  probe `yaml:"livenessProbe"`
					ReadinessProbe probe `yaml:"readinessProbe"`
				}
				Volumes []struct {
					Secret *struct {
						SecretName string `yaml:"secretName"`
					}
				}
			}
		}
	}
}

// TestManifestsFitTogether checks what a schema cannot: selectors pick the
// Deployment's pods, the HPA scales it, every ConfigMap, Secret and
// variable named exists, and the probes hit /healthz and /readyz.
func TestManifestsFitTogether(t *testing.T) {
	objs := map[string]object{}
	files, _ := filepath.Glob("*.yaml")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range strings.Split(string(raw), "\n---\n") {
			var o object
			if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			objs[o.Kind+"/"+o.Metadata.Name] = o
		}
	}
	d, ok := objs["Deployment/switchboard"]
	if !ok {
		t.Fatalf("no Deployment switchboard in %v", files)
	}
	podLabels := d.Spec.Template.Metadata.Labels
	matches := func(sel map[string]any) bool {
		if len(sel) == 0 {
			return false
		}
		for k, v := range sel {
			if podLabels[k] != v {
				return false
			}
		}
		return true
	}
	matchLabels := func(o object) map[string]any { m, _ := o.Spec.Selector["matchLabels"].(map[string]any); return m }
	for name, sel := range map[string]map[string]any{
		"Deployment":          matchLabels(d),
		"PodDisruptionBudget": matchLabels(objs["PodDisruptionBudget/switchboard"]),
		"Service":             objs["Service/switchboard"].Spec.Selector,
	} {
		if !matches(sel) {
			t.Errorf("the %s selector %v does not pick the pods labelled %v", name, sel, podLabels)
		}
	}
	if ref := objs["HorizontalPodAutoscaler/switchboard"].Spec.ScaleTargetRef; ref.Kind != "Deployment" || ref.Name != "switchboard" {
		t.Errorf("the HPA scales %s/%s", ref.Kind, ref.Name)
	}

	known := knownVariables(t)
	c := d.Spec.Template.Spec.Containers[0]
	if c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("probes on %q and %q", c.LivenessProbe.HTTPGet.Path, c.ReadinessProbe.HTTPGet.Path)
	}
	for _, e := range c.EnvFrom {
		ref, kind := e.ConfigMapRef, "ConfigMap"
		if ref == nil {
			ref, kind = e.SecretRef, "Secret"
		}
		o, ok := objs[kind+"/"+ref.Name]
		if !ok {
			t.Errorf("envFrom names the missing %s %s", kind, ref.Name)
		}
		vars := o.Data
		if kind == "Secret" {
			var s struct {
				StringData map[string]string `yaml:"stringData"`
			}
			raw, _ := os.ReadFile("secret.yaml")
			_ = yaml.Unmarshal([]byte(strings.Split(string(raw), "\n---\n")[0]), &s)
			vars = s.StringData
		}
		for v := range vars {
			if !known[v] {
				t.Errorf("%s %s sets %s, which the gateway does not read", kind, ref.Name, v)
			}
		}
	}
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Secret != nil {
			if _, ok := objs["Secret/"+v.Secret.SecretName]; !ok {
				t.Errorf("volume of the missing Secret %s", v.Secret.SecretName)
			}
		}
	}
}

// knownVariables collects the environment variable names the gateway's Go
// code spells out.
func knownVariables(t *testing.T) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`"((?:SWITCHBOARD|REDIS|MMP|SHOP|MSEM|CLAVUS|GRAVITEL|OTEL)_[A-Z0-9_]+)"`)
	known := map[string]bool{}
	for _, pattern := range []string{"../../*.go", "../../app/*.go", "../../graph/config/*.go", "../../sources/*/env.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			src, _ := os.ReadFile(f)
			for _, m := range re.FindAllSubmatch(src, -1) {
				known[string(m[1])] = true
			}
		}
	}
	if len(known) < 20 {
		t.Fatalf("found only %d variable names in the Go code", len(known))
	}
	return known
}
