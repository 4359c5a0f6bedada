# Runs label assignments through the real acts-as-taggable-on (Debian's ruby-acts-as-taggable-on,
# on ActiveRecord with an in-memory SQLite database), configured as Chatwoot configures it
# (config/initializers/acts_as_taggable_on.rb; app/models/concerns/labelable.rb), so the emulator's
# tag model can be compared with the library. Reads a JSON list of assignments on stdin:
#   [{ "taggable": "contact" | "conversation", "id": 1, "labels": ["VIP", ...] }, ...]
# and prints one JSON object per assignment, in order:
#   { "answer": label_list right after the update (what LabelConcern#create renders),
#     "read":   label_list of the record loaded afresh (LabelConcern#index),
#     "shown":  cached_label_list_array, conversations only (_conversation.json.jbuilder) }
require "json"
require "active_record"
require "acts-as-taggable-on"

ActiveRecord::Base.establish_connection(adapter: "sqlite3", database: ":memory:")
ActiveRecord::Migration.verbose = false
ActiveRecord::Schema.define do
  # Columns and indexes as in Chatwoot's db/schema.rb.
  create_table(:tags) do |t|
    t.string :name
    t.integer :taggings_count, default: 0
    t.index :name, unique: true
  end
  create_table(:taggings) do |t|
    t.integer :tag_id
    t.string :taggable_type
    t.integer :taggable_id
    t.string :tagger_type
    t.integer :tagger_id
    t.string :context, limit: 128
    t.datetime :created_at
  end
  create_table(:contacts) { |t| t.string :name }
  create_table(:conversations) { |t| t.text :cached_label_list }
end
ActsAsTaggableOn.tags_counter = false

class Contact < ActiveRecord::Base
  acts_as_taggable_on :labels
end

class Conversation < ActiveRecord::Base
  acts_as_taggable_on :labels

  def cached_label_list_array
    (cached_label_list || "").split(",").map(&:strip)
  end
end

results = JSON.parse($stdin.read).map do |step|
  model = step.fetch("taggable") == "contact" ? Contact : Conversation
  record = model.find_by(id: step.fetch("id")) || model.create!(id: step.fetch("id"))
  record.update!(label_list: step.fetch("labels"))
  fresh = model.find(record.id)
  result = { "answer" => record.label_list.to_a, "read" => fresh.label_list.to_a }
  result["shown"] = fresh.cached_label_list_array if model == Conversation
  result
end
puts JSON.generate(results)
