-- CreateEnum
CREATE TYPE "ChatPlatform" AS ENUM ('slack', 'discord');

-- CreateEnum
CREATE TYPE "IncidentSource" AS ENUM ('slash', 'paste', 'mention', 'shortcut', 'doctor');

-- CreateEnum
CREATE TYPE "Feedback" AS ENUM ('fixed', 'still_failing');

-- CreateEnum
CREATE TYPE "CredentialEventKind" AS ENUM ('key_rotated', 'key_revoked', 'user_removed', 'user_added', 'org_changed', 'billing_changed', 'policy_changed', 'sso_changed', 'other');

-- CreateEnum
CREATE TYPE "CredentialEventSource" AS ENUM ('command', 'api', 'auto');

-- CreateTable
CREATE TABLE "Workspace" (
    "id" UUID NOT NULL,
    "platform" "ChatPlatform" NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "channelId" TEXT,
    "threadId" TEXT,
    "messageId" TEXT,
    "userId" TEXT,
    "cause" TEXT NOT NULL,
    "symptom" TEXT,
    "confidence" DOUBLE PRECISION NOT NULL,
    "fingerprint" TEXT,
    "excerpt" TEXT NOT NULL,
    "os" TEXT,
    "source" "IncidentSource" NOT NULL,
    "feedback" "Feedback",
    "feedbackBy" TEXT,
    "feedbackAt" TIMESTAMPTZ(3),
    "resolved" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CredentialEvent" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "kind" "CredentialEventKind" NOT NULL,
    "subject" TEXT,
    "note" TEXT,
    "actor" TEXT,
    "source" "CredentialEventSource" NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CredentialEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DoctorToken" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "workspaceId" UUID NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadId" TEXT,
    "userId" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DoctorToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DoctorReport" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "tokenId" UUID NOT NULL,
    "userId" TEXT,
    "cause" TEXT NOT NULL,
    "report" JSONB NOT NULL,
    "findings" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DoctorReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "platform" "ChatPlatform" NOT NULL,
    "eventId" TEXT NOT NULL,
    "processedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("platform","eventId")
);

-- CreateTable
CREATE TABLE "SpikeAlert" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "cause" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "people" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SpikeAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminLogin" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "platform" "ChatPlatform" NOT NULL,
    "workspaceExternalId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminLogin_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminSession" (
    "id" UUID NOT NULL,
    "sessionHash" TEXT NOT NULL,
    "platform" "ChatPlatform" NOT NULL,
    "workspaceExternalId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_platform_externalId_key" ON "Workspace"("platform", "externalId");

-- CreateIndex
CREATE INDEX "Incident_workspaceId_createdAt_idx" ON "Incident"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Incident_workspaceId_cause_createdAt_idx" ON "Incident"("workspaceId", "cause", "createdAt");

-- CreateIndex
CREATE INDEX "Incident_workspaceId_fingerprint_createdAt_idx" ON "Incident"("workspaceId", "fingerprint", "createdAt");

-- CreateIndex
CREATE INDEX "Incident_workspaceId_userId_createdAt_idx" ON "Incident"("workspaceId", "userId", "createdAt");

-- CreateIndex
CREATE INDEX "Incident_fingerprint_createdAt_idx" ON "Incident"("fingerprint", "createdAt");

-- CreateIndex
CREATE INDEX "Incident_createdAt_idx" ON "Incident"("createdAt");

-- CreateIndex
CREATE INDEX "CredentialEvent_workspaceId_occurredAt_idx" ON "CredentialEvent"("workspaceId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "DoctorToken_tokenHash_key" ON "DoctorToken"("tokenHash");

-- CreateIndex
CREATE INDEX "DoctorToken_expiresAt_idx" ON "DoctorToken"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "DoctorReport_tokenId_key" ON "DoctorReport"("tokenId");

-- CreateIndex
CREATE INDEX "DoctorReport_workspaceId_createdAt_idx" ON "DoctorReport"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "ProcessedEvent_processedAt_idx" ON "ProcessedEvent"("processedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SpikeAlert_workspaceId_cause_windowStart_key" ON "SpikeAlert"("workspaceId", "cause", "windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "AdminLogin_tokenHash_key" ON "AdminLogin"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "AdminSession_sessionHash_key" ON "AdminSession"("sessionHash");

-- CreateIndex
CREATE INDEX "AdminSession_expiresAt_idx" ON "AdminSession"("expiresAt");

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CredentialEvent" ADD CONSTRAINT "CredentialEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DoctorToken" ADD CONSTRAINT "DoctorToken_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DoctorReport" ADD CONSTRAINT "DoctorReport_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpikeAlert" ADD CONSTRAINT "SpikeAlert_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
