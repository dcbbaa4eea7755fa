{{/* Chart name, truncated to the DNS label limit. */}}
{{- define "instapay.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped base name for every object. */}}
{{- define "instapay.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "instapay.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object (Kubernetes recommended labels). */}}
{{- define "instapay.labels" -}}
helm.sh/chart: {{ include "instapay.chart" . }}
app.kubernetes.io/name: {{ include "instapay.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ include "instapay.imageTag" . | quote }}
app.kubernetes.io/part-of: instapay
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels: stable across upgrades (no version). */}}
{{- define "instapay.selectorLabels" -}}
app.kubernetes.io/name: {{ include "instapay.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Component labels/selector: call with (dict "root" $ "component" "auth-service"). */}}
{{- define "instapay.componentLabels" -}}
{{ include "instapay.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "instapay.componentSelector" -}}
{{ include "instapay.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Object name of one service: (dict "root" $ "component" "auth-service"). */}}
{{- define "instapay.componentName" -}}
{{- printf "%s-%s" (include "instapay.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "instapay.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{/* Image of one service: (dict "root" $ "component" "auth-service"). By digest when
image.digests names one for the component (what production deploys), else by tag. */}}
{{- define "instapay.image" -}}
{{- $digest := get (.root.Values.image.digests | default dict) .component -}}
{{- if $digest -}}
{{- printf "%s/%s@%s" .root.Values.image.registry .component $digest -}}
{{- else -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .component (include "instapay.imageTag" .root) -}}
{{- end -}}
{{- end -}}

{{- define "instapay.configMapName" -}}
{{- printf "%s-config" (include "instapay.fullname" .) -}}
{{- end -}}

{{/* The Secret the pods read: the operator's, or the development one the chart generates. */}}
{{- define "instapay.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else if .Values.secrets.generateForDevelopment -}}
{{- printf "%s-dev-secrets" (include "instapay.fullname" .) -}}
{{- else -}}
{{- fail "secrets.existingSecret is required (a Secret with INTERNAL_SECRET_<CALLER> for each internal caller, PIN_PEPPER, PAYMENT_LINK_SECRETS, DATABASE_URL, REDIS_URL, jwt-private-key.pem; see docs/K8S_GUIDE.md)" -}}
{{- end -}}
{{- end -}}

{{- define "instapay.postgresqlName" -}}
{{- printf "%s-postgresql" (include "instapay.fullname" .) -}}
{{- end -}}

{{- define "instapay.redisName" -}}
{{- printf "%s-redis" (include "instapay.fullname" .) -}}
{{- end -}}

{{/* Environment entries shared by services, relays and migrations: the database URL (unless each
process has its own role: instapay.databaseEnv). Internal secrets: instapay.internalSecretEnv. */}}
{{- define "instapay.coreEnv" -}}
{{- $secret := include "instapay.secretName" . -}}
{{- if .Values.databaseRoles.enabled }}
{{- else if .Values.postgresql.enabled }}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "instapay.postgresqlName" . }}
      key: password
- name: DATABASE_URL
  value: {{ printf "postgresql://%s:$(POSTGRES_PASSWORD)@%s:5432/%s" .Values.postgresql.username (include "instapay.postgresqlName" .) .Values.postgresql.database | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: DATABASE_URL
{{- end }}
{{- end -}}

{{/* The internal secrets one workload holds (internalSecrets.<holder>): its own credential and
those of the callers it accepts, nothing else. Call with (dict "root" $ "holder" "auth"). */}}
{{- define "instapay.internalSecretEnv" -}}
{{- $secret := include "instapay.secretName" .root -}}
{{- range $caller := index .root.Values.internalSecrets .holder }}
- name: {{ printf "INTERNAL_SECRET_%s" (upper $caller) }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ printf "INTERNAL_SECRET_%s" (upper $caller) }}
{{- end }}
{{- end -}}

{{/* Every internal caller with a secret (the keys the Secret must hold). */}}
{{- define "instapay.internalCallers" -}}
{{- $all := list -}}
{{- range $holder, $callers := .Values.internalSecrets -}}
{{- $all = concat $all $callers -}}
{{- end -}}
{{- $all | uniq | sortAlpha | join " " -}}
{{- end -}}

{{/* A destination outside the namespace (database, Redis, SMTP relay) as NetworkPolicy peers: an
in-cluster Service's pods (namespace + podLabels) or an address range (cidr), never everything.
Call with (dict "peer" .Values.networkPolicy.externalDatabase "what" "externalDatabase"). */}}
{{- define "instapay.externalPeer" -}}
{{- $p := .peer -}}
{{- if $p.namespace }}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ $p.namespace }}
  podSelector:
    matchLabels:
      {{- toYaml $p.podLabels | nindent 6 }}
{{- else if $p.cidr }}
{{- if hasSuffix "/0" $p.cidr }}
{{- fail (printf "networkPolicy.%s.cidr %s opens egress to everything: give the address range of that one destination" .what $p.cidr) }}
{{- end }}
- ipBlock:
    cidr: {{ $p.cidr }}
{{- else }}
{{- fail (printf "networkPolicy.%s: set cidr (its private address range) or namespace and podLabels (its in-cluster pods)" .what) }}
{{- end }}
{{- end -}}

{{/* An HTTP probe on the service port. */}}
{{- define "instapay.probe" -}}
httpGet:
  path: {{ .probe.path }}
  port: http
periodSeconds: {{ .probe.periodSeconds }}
timeoutSeconds: {{ .probe.timeoutSeconds }}
failureThreshold: {{ .probe.failureThreshold }}
{{- end -}}


{{/* Database roles (instapay_common.db.roles): the database name, also the roles' prefix. */}}
{{- define "instapay.databaseName" -}}
{{- if .Values.postgresql.enabled -}}{{ .Values.postgresql.database }}{{- else -}}{{ .Values.databaseRoles.database }}{{- end -}}
{{- end -}}

{{/* Every role's suffix: the migrator, each migrating service, each relay ("auth_relay"). */}}
{{- define "instapay.databaseRoles" -}}
{{- $roles := list "migrator" -}}
{{- range $key, $svc := .Values.services }}{{ if $svc.migrates }}{{ $roles = append $roles $key }}{{ end }}{{ end -}}
{{- range $key, $_ := .Values.relays }}{{ $roles = append $roles (printf "%s_relay" $key) }}{{ end -}}
{{- join " " $roles -}}
{{- end -}}

{{/* The Secret of one role, (dict "root" $ "role" "auth_relay"): keys `password` and `DATABASE_URL`. */}}
{{- define "instapay.databaseSecretName" -}}
{{- printf "%s-db-%s" (include "instapay.fullname" .root) (.role | replace "_" "-") -}}
{{- end -}}

{{/* DATABASE_URL of one role, (dict "root" $ "role" "auth"), when roles are enabled. */}}
{{- define "instapay.databaseEnv" -}}
{{- if .root.Values.databaseRoles.enabled }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "instapay.databaseSecretName" . }}
      key: DATABASE_URL
{{- end }}
{{- end -}}
