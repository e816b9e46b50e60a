"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 08:42:07.092183
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Trigram search works on Japanese text under the C.UTF-8 locale the server is created with.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('app_user',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('preferred_language', sa.String(length=2), server_default='ja', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('email', name=op.f('uq_app_user_email'))
    )
    op.create_table('login_attempt',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    op.create_index('ix_login_attempt_email_at', 'login_attempt', ['email', 'at'], unique=False)
    op.create_index('ix_login_attempt_ip_at', 'login_attempt', ['ip', 'at'], unique=False)
    op.create_table('oidc_pending',
    sa.Column('state', sa.String(length=128), nullable=False),
    sa.Column('nonce', sa.String(length=128), nullable=False),
    sa.Column('code_verifier', sa.String(length=128), nullable=False),
    sa.Column('authorization_url', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('state', name=op.f('pk_oidc_pending'))
    )
    op.create_table('prefecture',
    sa.Column('code', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('name_ja', sa.String(length=16), nullable=False),
    sa.Column('name_en', sa.String(length=32), nullable=False),
    sa.Column('region_block', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_prefecture'))
    )
    op.create_table('auth_session',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_auth_session_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_session'))
    )
    op.create_index(op.f('ix_auth_session_user_id'), 'auth_session', ['user_id'], unique=False)
    op.create_table('municipality',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('lg_code', sa.String(length=6), nullable=False),
    sa.Column('prefecture_code', sa.SmallInteger(), nullable=False),
    sa.Column('name_ja', sa.String(length=64), nullable=False),
    sa.Column('name_kana', sa.String(length=128), nullable=False),
    sa.Column('name_en', sa.String(length=128), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_code'], ['prefecture.code'], name=op.f('fk_municipality_prefecture_code_prefecture')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_municipality')),
    sa.UniqueConstraint('lg_code', name=op.f('uq_municipality_lg_code'))
    )
    op.create_index(op.f('ix_municipality_prefecture_code'), 'municipality', ['prefecture_code'], unique=False)
    op.create_table('oidc_identity',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_oidc_identity_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oidc_identity')),
    sa.UniqueConstraint('issuer', 'subject', name='uq_oidc_identity_issuer_subject')
    )
    op.create_index(op.f('ix_oidc_identity_user_id'), 'oidc_identity', ['user_id'], unique=False)
    op.create_table('living_sphere',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name_ja', sa.String(length=128), nullable=False),
    sa.Column('name_en', sa.String(length=128), nullable=False),
    sa.Column('core_municipality_code', sa.String(length=5), nullable=False),
    sa.Column('description_ja', sa.Text(), server_default='', nullable=False),
    sa.Column('description_en', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['core_municipality_code'], ['municipality.code'], name=op.f('fk_living_sphere_core_municipality_code_municipality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_living_sphere')),
    sa.UniqueConstraint('name_ja', name=op.f('uq_living_sphere_name_ja'))
    )
    op.create_table('organisation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('corporate_number', sa.String(length=13), nullable=True),
    sa.Column('prefecture_code', sa.SmallInteger(), nullable=True),
    sa.Column('municipality_code', sa.String(length=5), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('local_management_corp', 'company', 'npo', 'municipality', 'regional_bank', 'public_financier', 'fund', 'individual')", name=op.f('ck_organisation_kind_valid')),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_organisation_municipality_code_municipality')),
    sa.ForeignKeyConstraint(['prefecture_code'], ['prefecture.code'], name=op.f('fk_organisation_prefecture_code_prefecture')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('corporate_number', name=op.f('uq_organisation_corporate_number'))
    )
    op.create_index(op.f('ix_organisation_prefecture_code'), 'organisation', ['prefecture_code'], unique=False)
    op.create_table('investor_profile',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_user_id', sa.Uuid(), nullable=True),
    sa.Column('owner_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('created_by', sa.Uuid(), nullable=False),
    sa.Column('display_name_ja', sa.String(length=200), nullable=False),
    sa.Column('display_name_en', sa.String(length=200), nullable=False),
    sa.Column('investor_type', sa.String(length=32), nullable=False),
    sa.Column('sectors', postgresql.ARRAY(sa.String(length=32)), nullable=False),
    sa.Column('prefecture_codes', postgresql.ARRAY(sa.SmallInteger()), nullable=False),
    sa.Column('instruments', postgresql.ARRAY(sa.String(length=32)), nullable=False),
    sa.Column('ticket_min_yen', sa.BigInteger(), nullable=False),
    sa.Column('ticket_max_yen', sa.BigInteger(), nullable=False),
    sa.Column('target_return_pct', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=True),
    sa.Column('risk_tolerance', sa.String(length=32), nullable=False),
    sa.Column('impact_themes', postgresql.ARRAY(sa.String(length=64)), nullable=False),
    sa.Column('thesis_ja', sa.Text(), server_default='', nullable=False),
    sa.Column('thesis_en', sa.Text(), server_default='', nullable=False),
    sa.Column('discoverable', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('is_demo', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("investor_type IN ('individual', 'company', 'fund', 'regional_bank', 'public_financier', 'corporate_donor')", name=op.f('ck_investor_profile_investor_type_valid')),
    sa.CheckConstraint("risk_tolerance IN ('low', 'medium', 'high')", name=op.f('ck_investor_profile_risk_tolerance_valid')),
    sa.CheckConstraint('(owner_user_id IS NULL) <> (owner_organisation_id IS NULL)', name=op.f('ck_investor_profile_one_owner')),
    sa.CheckConstraint('ticket_min_yen > 0 AND ticket_min_yen <= ticket_max_yen', name=op.f('ck_investor_profile_ticket_range')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_investor_profile_created_by_app_user')),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisation.id'], name=op.f('fk_investor_profile_owner_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_user_id'], ['app_user.id'], name=op.f('fk_investor_profile_owner_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investor_profile'))
    )
    op.create_index(op.f('ix_investor_profile_owner_organisation_id'), 'investor_profile', ['owner_organisation_id'], unique=True)
    op.create_index(op.f('ix_investor_profile_owner_user_id'), 'investor_profile', ['owner_user_id'], unique=True)
    op.create_table('living_sphere_member',
    sa.Column('living_sphere_id', sa.Uuid(), nullable=False),
    sa.Column('municipality_code', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['living_sphere_id'], ['living_sphere.id'], name=op.f('fk_living_sphere_member_living_sphere_id_living_sphere'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_living_sphere_member_municipality_code_municipality')),
    sa.PrimaryKeyConstraint('living_sphere_id', 'municipality_code', name=op.f('pk_living_sphere_member'))
    )
    op.create_index(op.f('ix_living_sphere_member_municipality_code'), 'living_sphere_member', ['municipality_code'], unique=False)
    op.create_table('membership',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('investor', 'project_lead', 'bank', 'admin')", name=op.f('ck_membership_role_valid')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_membership_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_membership_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('user_id', 'organisation_id', 'role', name='uq_membership_user_org_role')
    )
    op.create_index(op.f('ix_membership_organisation_id'), 'membership', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_membership_user_id'), 'membership', ['user_id'], unique=False)
    op.create_table('project',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=False),
    sa.Column('title_ja', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('summary_ja', sa.String(length=1000), nullable=False),
    sa.Column('summary_en', sa.String(length=1000), nullable=False),
    sa.Column('body_ja', sa.Text(), server_default='', nullable=False),
    sa.Column('body_en', sa.Text(), server_default='', nullable=False),
    sa.Column('sector', sa.String(length=32), nullable=False),
    sa.Column('instrument', sa.String(length=32), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('municipality_codes', postgresql.ARRAY(sa.String(length=5)), nullable=False),
    sa.Column('prefecture_codes', postgresql.ARRAY(sa.SmallInteger()), nullable=False),
    sa.Column('funding_target_yen', sa.BigInteger(), nullable=False),
    sa.Column('min_ticket_yen', sa.BigInteger(), nullable=False),
    sa.Column('expected_return_min_pct', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('expected_return_max_pct', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('funding_deadline', sa.Date(), nullable=True),
    sa.Column('search_text', sa.Text(), sa.Computed("title_ja || ' ' || title_en || ' ' || summary_ja || ' ' || summary_en", persisted=True), nullable=True),
    sa.Column('impact_inputs', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('is_demo', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("instrument IN ('equity', 'loan', 'revenue_share', 'social_impact_bond', 'donation', 'corporate_furusato')", name=op.f('ck_project_instrument_valid')),
    sa.CheckConstraint("sector IN ('mobility', 'medical_care', 'elderly_care', 'retail', 'energy', 'vacant_houses', 'education', 'childcare', 'snow_removal', 'agriculture', 'tourism', 'disaster_resilience', 'digital')", name=op.f('ck_project_sector_valid')),
    sa.CheckConstraint("stage IN ('idea', 'pilot', 'operating', 'scaling')", name=op.f('ck_project_stage_valid')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'vetted', 'funding', 'funded', 'closed', 'rejected', 'withdrawn')", name=op.f('ck_project_status_valid')),
    sa.CheckConstraint('expected_return_min_pct <= expected_return_max_pct', name=op.f('ck_project_return_range_ordered')),
    sa.CheckConstraint('funding_target_yen > 0', name=op.f('ck_project_target_positive')),
    sa.CheckConstraint('min_ticket_yen > 0 AND min_ticket_yen <= funding_target_yen', name=op.f('ck_project_ticket_within_target')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_project_created_by_app_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_project_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project'))
    )
    op.create_index(op.f('ix_project_instrument'), 'project', ['instrument'], unique=False)
    op.create_index('ix_project_municipality_codes', 'project', ['municipality_codes'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_project_organisation_id'), 'project', ['organisation_id'], unique=False)
    op.create_index('ix_project_prefecture_codes', 'project', ['prefecture_codes'], unique=False, postgresql_using='gin')
    op.create_index('ix_project_search_trgm', 'project', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.create_index(op.f('ix_project_sector'), 'project', ['sector'], unique=False)
    op.create_index('ix_project_status_created', 'project', ['status', 'created_at'], unique=False)
    op.create_table('project_transition',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=False),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('checklist', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("from_status IN ('draft', 'submitted', 'vetted', 'funding', 'funded', 'closed', 'rejected', 'withdrawn')", name=op.f('ck_project_transition_from_status_valid')),
    sa.CheckConstraint("to_status IN ('draft', 'submitted', 'vetted', 'funding', 'funded', 'closed', 'rejected', 'withdrawn')", name=op.f('ck_project_transition_to_status_valid')),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], name=op.f('fk_project_transition_actor_id_app_user')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_transition_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_transition'))
    )
    op.create_index('ix_project_transition_project_at', 'project_transition', ['project_id', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_project_transition_project_at', table_name='project_transition')
    op.drop_table('project_transition')
    op.drop_index('ix_project_status_created', table_name='project')
    op.drop_index(op.f('ix_project_sector'), table_name='project')
    op.drop_index('ix_project_search_trgm', table_name='project', postgresql_using='gin')
    op.drop_index('ix_project_prefecture_codes', table_name='project', postgresql_using='gin')
    op.drop_index(op.f('ix_project_organisation_id'), table_name='project')
    op.drop_index('ix_project_municipality_codes', table_name='project', postgresql_using='gin')
    op.drop_index(op.f('ix_project_instrument'), table_name='project')
    op.drop_table('project')
    op.drop_index(op.f('ix_membership_user_id'), table_name='membership')
    op.drop_index(op.f('ix_membership_organisation_id'), table_name='membership')
    op.drop_table('membership')
    op.drop_index(op.f('ix_living_sphere_member_municipality_code'), table_name='living_sphere_member')
    op.drop_table('living_sphere_member')
    op.drop_index(op.f('ix_investor_profile_owner_user_id'), table_name='investor_profile')
    op.drop_index(op.f('ix_investor_profile_owner_organisation_id'), table_name='investor_profile')
    op.drop_table('investor_profile')
    op.drop_index(op.f('ix_organisation_prefecture_code'), table_name='organisation')
    op.drop_table('organisation')
    op.drop_table('living_sphere')
    op.drop_index(op.f('ix_oidc_identity_user_id'), table_name='oidc_identity')
    op.drop_table('oidc_identity')
    op.drop_index(op.f('ix_municipality_prefecture_code'), table_name='municipality')
    op.drop_table('municipality')
    op.drop_index(op.f('ix_auth_session_user_id'), table_name='auth_session')
    op.drop_table('auth_session')
    op.drop_table('prefecture')
    op.drop_index('ix_login_attempt_ip_at', table_name='login_attempt')
    op.drop_index('ix_login_attempt_email_at', table_name='login_attempt')
    op.drop_table('login_attempt')
    op.drop_table('oidc_pending')
    op.drop_table('app_user')
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
