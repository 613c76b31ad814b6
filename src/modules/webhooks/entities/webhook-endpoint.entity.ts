import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where events are POSTed. The signing secret is stored encrypted (SecretBox), never returned after creation. */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** Event types this endpoint receives, or `["*"]` for all. */
  @Column({ type: 'simple-json' })
  events: string[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: 'boolean' })
  enabled: boolean;

  /** AES-256-GCM(WEBHOOK_SECRET_KEY) of the signing secret: iv ‖ tag ‖ ciphertext. */
  @Column({ name: 'secret_ciphertext', type: 'varbinary', length: 255 })
  secretCiphertext: Buffer;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
